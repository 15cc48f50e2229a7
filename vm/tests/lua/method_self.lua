local Account = {balance = 0}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v; return self end
function Account:get() return self.balance end
function Account.static(x) return x * 2 end
local a = Account.new(100)
a:deposit(50):deposit(25)
print(a:get(), a.get(a), Account.get(a))
print(Account.static(21), a.static(4))
local b = Account.new(0)
print(b:get(), a:get())
local obj = {name = "obj"}
function obj.f(self, x) return self.name .. x end
print(obj:f("!"), obj.f({name = "other"}, "?"))
local s = {n = {m = {}}}
function s.n.m:deep() return self == s.n.m end
print(s.n.m:deep())
print(("abc"):upper(), ("%d-%d"):format(1, 2), ("x"):rep(3))
local str = "hello"
print(str:len(), str:sub(2, 3), str:byte(1))
print(#("x"):rep(10, ","))
