local function none() return end
local function one() return 1 end
local function many() return 1, "two", nil, 4 end
local function call_ret() return many() end
local function paren_ret() return (many()) end
local function semicolon() return 1; end
print(select('#', none()), select('#', one()), select('#', many()))
print(select('#', call_ret()), select('#', paren_ret()))
print(semicolon())
local function ifret(x)
  if x then return "then" end
  do return "do" end
end
print(ifret(true), ifret(false))
local function loopret()
  for i = 1, 10 do
    while true do
      if i == 3 then return "found " .. i end
      break
    end
  end
end
print(loopret())
print(load("return 1 print(2)"))
print(load("return 1; ; "))
print(load("do return end print('after')") ~= nil)
