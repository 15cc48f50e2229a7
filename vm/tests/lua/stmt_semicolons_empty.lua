;
local a = 1;
;;
local function f() ; return a ; end
print(f());
do ; end
if a then ; else ; end
while false do ; end
for i = 1, 2 do ; end
repeat ; until true
print("ok");
