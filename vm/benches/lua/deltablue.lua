-- DeltaBlue-style incremental dataflow constraint solver: variables connected
-- by stay/edit/equality/scale constraints of different strengths; the planner
-- incrementally (re)satisfies constraints when they are added or removed and
-- extracts execution plans.  Classes are metatables with inheritance.
-- usage: deltablue.lua [reps]   (default 200 rounds of chain + projection tests, size 100)
local reps = tonumber(arg and arg[1]) or 200
local SIZE = 100

local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  c.super = parent
  c.new = function(...)
    local o = setmetatable({}, c)
    o:init(...)
    return o
  end
  return c
end

---------------------------------------------------------------- ordered collections
local Queue = class()
function Queue:init() self.first, self.last = 1, 0; self.items = {} end
function Queue:push(x) local l = self.last + 1; self.last = l; self.items[l] = x end
function Queue:empty() return self.first > self.last end
function Queue:pop()
  local f = self.first
  local x = self.items[f]
  self.items[f] = nil
  self.first = f + 1
  return x
end

---------------------------------------------------------------- strengths
-- smaller value = stronger
local Strength = class()
function Strength:init(value, name) self.value, self.name = value, name end
local REQUIRED        = Strength.new(0, "required")
local STRONG_PREFERRED = Strength.new(1, "strongPreferred")
local PREFERRED       = Strength.new(2, "preferred")
local STRONG_DEFAULT  = Strength.new(3, "strongDefault")
local NORMAL          = Strength.new(4, "normal")
local WEAK_DEFAULT    = Strength.new(5, "weakDefault")
local WEAKEST         = Strength.new(6, "weakest")
local BY_VALUE = { [0] = REQUIRED, STRONG_PREFERRED, PREFERRED, STRONG_DEFAULT,
                   NORMAL, WEAK_DEFAULT, WEAKEST }

local function stronger(a, b) return a.value < b.value end
local function weaker(a, b) return a.value > b.value end
local function weakest_of(a, b) if weaker(a, b) then return a end return b end
function Strength:next_weaker() return BY_VALUE[self.value + 1] end

local planner -- the current Planner (set by each test)

---------------------------------------------------------------- variables
local Variable = class()
function Variable:init(name, value)
  self.name = name
  self.value = value or 0
  self.constraints = {}
  self.determined_by = nil
  self.mark = 0
  self.walk_strength = WEAKEST
  self.stay = true
end
function Variable:add_constraint(c)
  local cs = self.constraints
  cs[#cs + 1] = c
end
function Variable:remove_constraint(c)
  local cs = self.constraints
  for i = #cs, 1, -1 do
    if cs[i] == c then table.remove(cs, i) end
  end
  if self.determined_by == c then self.determined_by = nil end
end

---------------------------------------------------------------- constraints
local Constraint = class()
function Constraint:init(strength) self.strength = strength end

function Constraint:add_constraint()
  self:add_to_graph()
  planner:incremental_add(self)
end

-- Try to satisfy this constraint; returns the constraint it overrode, if any.
function Constraint:satisfy(mark)
  self:choose_method(mark)
  if not self:is_satisfied() then
    if self.strength == REQUIRED then error("could not satisfy a required constraint") end
    return nil
  end
  self:mark_inputs(mark)
  local out = self:output()
  local overridden = out.determined_by
  if overridden then overridden:mark_unsatisfied() end
  out.determined_by = self
  if not planner:add_propagate(self, mark) then error("cycle encountered") end
  out.mark = mark
  return overridden
end

function Constraint:destroy_constraint()
  if self:is_satisfied() then planner:incremental_remove(self)
  else self:remove_from_graph() end
end

function Constraint:is_input() return false end

-- unary constraints --------------------------------------------------------
local UnaryConstraint = class(Constraint)
function UnaryConstraint:init(v, strength)
  Constraint.init(self, strength)
  self.my_output = v
  self.satisfied = false
  self:add_constraint()
end
function UnaryConstraint:add_to_graph()
  self.my_output:add_constraint(self)
  self.satisfied = false
end
function UnaryConstraint:choose_method(mark)
  local out = self.my_output
  self.satisfied = out.mark ~= mark and stronger(self.strength, out.walk_strength)
end
function UnaryConstraint:is_satisfied() return self.satisfied end
function UnaryConstraint:mark_inputs(_mark) end
function UnaryConstraint:output() return self.my_output end
function UnaryConstraint:recalculate()
  local out = self.my_output
  out.walk_strength = self.strength
  out.stay = not self:is_input()
  if out.stay then self:execute() end
end
function UnaryConstraint:mark_unsatisfied() self.satisfied = false end
function UnaryConstraint:inputs_known(_mark) return true end
function UnaryConstraint:remove_from_graph()
  if self.my_output then self.my_output:remove_constraint(self) end
  self.satisfied = false
end

local StayConstraint = class(UnaryConstraint)
function StayConstraint:execute() end

local EditConstraint = class(UnaryConstraint)
function EditConstraint:is_input() return true end
function EditConstraint:execute() end

-- binary constraints -------------------------------------------------------
local NONE, FORWARD, BACKWARD = 0, 1, -1

local BinaryConstraint = class(Constraint)
function BinaryConstraint:init(v1, v2, strength)
  Constraint.init(self, strength)
  self.v1, self.v2 = v1, v2
  self.direction = NONE
  self:add_constraint()
end
function BinaryConstraint:choose_method(mark)
  local v1, v2, s = self.v1, self.v2, self.strength
  if v1.mark == mark then
    if v2.mark ~= mark and stronger(s, v2.walk_strength) then self.direction = FORWARD
    else self.direction = NONE end
    return
  end
  if v2.mark == mark then
    if v1.mark ~= mark and stronger(s, v1.walk_strength) then self.direction = BACKWARD
    else self.direction = NONE end
    return
  end
  if weaker(v1.walk_strength, v2.walk_strength) then
    if stronger(s, v1.walk_strength) then self.direction = BACKWARD else self.direction = NONE end
  else
    if stronger(s, v2.walk_strength) then self.direction = FORWARD else self.direction = NONE end
  end
end
function BinaryConstraint:add_to_graph()
  self.v1:add_constraint(self)
  self.v2:add_constraint(self)
  self.direction = NONE
end
function BinaryConstraint:is_satisfied() return self.direction ~= NONE end
function BinaryConstraint:mark_inputs(mark) self:input().mark = mark end
function BinaryConstraint:input()
  if self.direction == FORWARD then return self.v1 end
  return self.v2
end
function BinaryConstraint:output()
  if self.direction == FORWARD then return self.v2 end
  return self.v1
end
function BinaryConstraint:recalculate()
  local ihn, out = self:input(), self:output()
  out.walk_strength = weakest_of(self.strength, ihn.walk_strength)
  out.stay = ihn.stay
  if out.stay then self:execute() end
end
function BinaryConstraint:mark_unsatisfied() self.direction = NONE end
function BinaryConstraint:inputs_known(mark)
  local i = self:input()
  return i.mark == mark or i.stay or i.determined_by == nil
end
function BinaryConstraint:remove_from_graph()
  if self.v1 then self.v1:remove_constraint(self) end
  if self.v2 then self.v2:remove_constraint(self) end
  self.direction = NONE
end

local EqualityConstraint = class(BinaryConstraint)
function EqualityConstraint:execute()
  self:output().value = self:input().value
end

-- dest = src * scale + offset
local ScaleConstraint = class(BinaryConstraint)
function ScaleConstraint:init(src, scale, offset, dest, strength)
  self.scale, self.offset = scale, offset
  BinaryConstraint.init(self, src, dest, strength)
end
function ScaleConstraint:add_to_graph()
  BinaryConstraint.add_to_graph(self)
  self.scale:add_constraint(self)
  self.offset:add_constraint(self)
end
function ScaleConstraint:remove_from_graph()
  BinaryConstraint.remove_from_graph(self)
  if self.scale then self.scale:remove_constraint(self) end
  if self.offset then self.offset:remove_constraint(self) end
end
function ScaleConstraint:mark_inputs(mark)
  BinaryConstraint.mark_inputs(self, mark)
  self.scale.mark = mark
  self.offset.mark = mark
end
function ScaleConstraint:execute()
  if self.direction == FORWARD then
    self.v2.value = self.v1.value * self.scale.value + self.offset.value
  else
    self.v1.value = (self.v2.value - self.offset.value) // self.scale.value
  end
end
function ScaleConstraint:recalculate()
  local ihn, out = self:input(), self:output()
  out.walk_strength = weakest_of(self.strength, ihn.walk_strength)
  out.stay = ihn.stay and self.scale.stay and self.offset.stay
  if out.stay then self:execute() end
end

---------------------------------------------------------------- plans
local Plan = class()
function Plan:init() self.list = {} end
function Plan:add(c) local l = self.list; l[#l + 1] = c end
function Plan:execute()
  local l = self.list
  for i = 1, #l do l[i]:execute() end
end

---------------------------------------------------------------- planner
local Planner = class()
function Planner:init() self.current_mark = 0 end
function Planner:new_mark()
  self.current_mark = self.current_mark + 1
  return self.current_mark
end

function Planner:incremental_add(c)
  local mark = self:new_mark()
  local overridden = c:satisfy(mark)
  while overridden do overridden = overridden:satisfy(mark) end
end

function Planner:incremental_remove(c)
  local out = c:output()
  c:mark_unsatisfied()
  c:remove_from_graph()
  local unsatisfied = self:remove_propagate_from(out)
  local strength = REQUIRED
  repeat
    for i = 1, #unsatisfied do
      local u = unsatisfied[i]
      if u.strength == strength then self:incremental_add(u) end
    end
    strength = strength:next_weaker()
  until strength == WEAKEST
end

function Planner:make_plan(sources)
  local mark = self:new_mark()
  local plan = Plan.new()
  local todo = sources
  while not todo:empty() do
    local c = todo:pop()
    local out = c:output()
    if out.mark ~= mark and c:inputs_known(mark) then
      plan:add(c)
      out.mark = mark
      self:add_constraints_consuming_to(out, todo)
    end
  end
  return plan
end

function Planner:extract_plan_from_constraints(constraints)
  local sources = Queue.new()
  for i = 1, #constraints do
    local c = constraints[i]
    if c:is_input() and c:is_satisfied() then sources:push(c) end
  end
  return self:make_plan(sources)
end

function Planner:add_propagate(c, mark)
  local todo = Queue.new()
  todo:push(c)
  while not todo:empty() do
    local d = todo:pop()
    if d:output().mark == mark then
      self:incremental_remove(c)
      return false
    end
    d:recalculate()
    self:add_constraints_consuming_to(d:output(), todo)
  end
  return true
end

function Planner:remove_propagate_from(out)
  out.determined_by = nil
  out.walk_strength = WEAKEST
  out.stay = true
  local unsatisfied = {}
  local todo = Queue.new()
  todo:push(out)
  while not todo:empty() do
    local v = todo:pop()
    local cs = v.constraints
    for i = 1, #cs do
      local c = cs[i]
      if not c:is_satisfied() then unsatisfied[#unsatisfied + 1] = c end
    end
    local determining = v.determined_by
    for i = 1, #cs do
      local nxt = cs[i]
      if nxt ~= determining and nxt:is_satisfied() then
        nxt:recalculate()
        todo:push(nxt:output())
      end
    end
  end
  return unsatisfied
end

function Planner:add_constraints_consuming_to(v, coll)
  local determining = v.determined_by
  local cs = v.constraints
  for i = 1, #cs do
    local c = cs[i]
    if c ~= determining and c:is_satisfied() then coll:push(c) end
  end
end

---------------------------------------------------------------- tests
local checksum = 0

-- A long chain of equality constraints; editing the first variable must
-- propagate to the last one.
local function chain_test(n)
  planner = Planner.new()
  local prev, first, last
  for i = 0, n do
    local v = Variable.new("v" .. i)
    if prev then EqualityConstraint.new(prev, v, REQUIRED) end
    if i == 0 then first = v end
    if i == n then last = v end
    prev = v
  end
  StayConstraint.new(last, STRONG_DEFAULT)
  local edit = EditConstraint.new(first, PREFERRED)
  local plan = planner:extract_plan_from_constraints({ edit })
  for i = 0, 99 do
    first.value = i
    plan:execute()
    if last.value ~= i then error("chain test failed") end
    checksum = checksum + last.value
  end
  edit:destroy_constraint()
end

local function change(v, new_value)
  local edit = EditConstraint.new(v, PREFERRED)
  local plan = planner:extract_plan_from_constraints({ edit })
  for _ = 1, 10 do
    v.value = new_value
    plan:execute()
  end
  edit:destroy_constraint()
end

-- Many scale constraints sharing one scale and one offset variable; edits
-- flow forwards (src -> dst) and backwards (dst -> src).
local function projection_test(n)
  planner = Planner.new()
  local scale = Variable.new("scale", 10)
  local offset = Variable.new("offset", 1000)
  local src, dst
  local dests = {}
  for i = 0, n - 1 do
    src = Variable.new("src" .. i, i)
    dst = Variable.new("dst" .. i, i)
    dests[#dests + 1] = dst
    StayConstraint.new(src, NORMAL)
    ScaleConstraint.new(src, scale, offset, dst, REQUIRED)
  end
  change(src, 17)
  if dst.value ~= 1170 then error("projection 1 failed") end
  change(dst, 1050)
  if src.value ~= 5 then error("projection 2 failed") end
  change(scale, 5)
  for i = 0, n - 2 do
    if dests[i + 1].value ~= i * 5 + 1000 then error("projection 3 failed") end
  end
  change(offset, 2000)
  for i = 0, n - 2 do
    if dests[i + 1].value ~= i * 5 + 2000 then error("projection 4 failed") end
  end
  for i = 1, #dests do checksum = checksum + dests[i].value end
  checksum = checksum + src.value + scale.value + offset.value
end

for _ = 1, reps do
  chain_test(SIZE)
  projection_test(SIZE)
end
print("deltablue " .. reps .. " x (chain " .. SIZE .. ", projection " .. SIZE .. ")")
print("checksum " .. checksum)
