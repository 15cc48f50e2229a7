local db = {
  users = {
    {name = "ann", tags = {"admin", "dev"}},
    {name = "bob", tags = {"dev"}},
  },
  meta = {count = 2, version = {major = 1, minor = 4}},
}
print(db.users[1].name, db.users[2].tags[1], #db.users[1].tags)
print(db.meta.version.major .. "." .. db.meta.version.minor)
db.users[#db.users + 1] = {name = "cy", tags = {}}
print(#db.users, #db.users[3].tags)
local matrix = {}
for r = 1, 3 do
  matrix[r] = {}
  for c = 1, 3 do matrix[r][c] = (r - 1) * 3 + c end
end
local diag = 0
for k = 1, 3 do diag = diag + matrix[k][k] end
print(diag, matrix[2][3], #matrix, #matrix[1])
local self_ref = {}
self_ref.me = self_ref
print(self_ref.me.me.me == self_ref)
