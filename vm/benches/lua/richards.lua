-- Richards: the classic operating-system task scheduler simulation (idle,
-- worker, two handler and two device tasks exchanging packets), written with
-- classes as metatables and method calls.
-- usage: richards.lua [reps]   (default 30 runs of the 10000-count scheduler)
local reps = tonumber(arg and arg[1]) or 30
local COUNT = 10000

local ID_IDLE, ID_WORKER, ID_HANDLER_A, ID_HANDLER_B, ID_DEVICE_A, ID_DEVICE_B = 1, 2, 3, 4, 5, 6
local KIND_DEVICE, KIND_WORK = 0, 1
local DATA_SIZE = 4

-- task states (bit flags)
local RUNNING, RUNNABLE, SUSPENDED, HELD = 0, 1, 2, 4
local SUSPENDED_RUNNABLE = SUSPENDED | RUNNABLE

local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  c.new = function(...)
    local o = setmetatable({}, c)
    o:init(...)
    return o
  end
  return c
end

---------------------------------------------------------------- packets
local Packet = class()

function Packet:init(link, id, kind)
  self.link = link
  self.id = id
  self.kind = kind
  self.a1 = 0
  self.a2 = { 0, 0, 0, 0 }
end

-- append self to the end of queue; returns the queue head
function Packet:add_to(queue)
  self.link = nil
  if not queue then return self end
  local peek = queue
  local nxt = peek.link
  while nxt do peek = nxt; nxt = peek.link end
  peek.link = self
  return queue
end

---------------------------------------------------------------- task control blocks
local Tcb = class()

function Tcb:init(link, id, priority, queue, task)
  self.link = link
  self.id = id
  self.priority = priority
  self.queue = queue
  self.task = task
  self.state = queue and SUSPENDED_RUNNABLE or SUSPENDED
end

function Tcb:set_running() self.state = RUNNING end
function Tcb:mark_not_held() self.state = self.state & ~HELD end
function Tcb:mark_held() self.state = self.state | HELD end
function Tcb:mark_suspended() self.state = self.state | SUSPENDED end
function Tcb:mark_runnable() self.state = self.state | RUNNABLE end

function Tcb:is_held_or_suspended()
  local s = self.state
  return (s & HELD) ~= 0 or s == SUSPENDED
end

function Tcb:run()
  local packet
  if self.state == SUSPENDED_RUNNABLE then
    packet = self.queue
    self.queue = packet.link
    self.state = self.queue and RUNNABLE or RUNNING
  end
  return self.task:run(packet)
end

function Tcb:check_priority_add(task, packet)
  if not self.queue then
    self.queue = packet
    self:mark_runnable()
    if self.priority > task.priority then return self end
  else
    self.queue = packet:add_to(self.queue)
  end
  return task
end

---------------------------------------------------------------- scheduler
local Scheduler = class()

function Scheduler:init()
  self.queue_count = 0
  self.hold_count = 0
  self.blocks = {}
  self.list = nil
  self.current = nil
  self.current_id = nil
end

function Scheduler:add_task(id, priority, queue, task)
  local tcb = Tcb.new(self.list, id, priority, queue, task)
  self.current = tcb
  self.list = tcb
  self.blocks[id] = tcb
end

function Scheduler:add_running_task(id, priority, queue, task)
  self:add_task(id, priority, queue, task)
  self.current:set_running()
end

function Scheduler:schedule()
  local tcb = self.list
  self.current = tcb
  while tcb do
    if tcb:is_held_or_suspended() then
      tcb = tcb.link
    else
      self.current_id = tcb.id
      tcb = tcb:run()
    end
    self.current = tcb
  end
end

function Scheduler:release(id)
  local tcb = self.blocks[id]
  if not tcb then return tcb end
  tcb:mark_not_held()
  if tcb.priority > self.current.priority then return tcb end
  return self.current
end

function Scheduler:hold_current()
  self.hold_count = self.hold_count + 1
  local cur = self.current
  cur:mark_held()
  return cur.link
end

function Scheduler:suspend_current()
  local cur = self.current
  cur:mark_suspended()
  return cur
end

function Scheduler:queue(packet)
  local t = self.blocks[packet.id]
  if not t then return t end
  self.queue_count = self.queue_count + 1
  packet.link = nil
  packet.id = self.current_id
  return t:check_priority_add(self.current, packet)
end

---------------------------------------------------------------- tasks
local IdleTask = class()
function IdleTask:init(sched, v1, count)
  self.sched, self.v1, self.count = sched, v1, count
end
function IdleTask:run(_packet)
  self.count = self.count - 1
  if self.count == 0 then return self.sched:hold_current() end
  local v1 = self.v1
  if v1 & 1 == 0 then
    self.v1 = v1 >> 1
    return self.sched:release(ID_DEVICE_A)
  else
    self.v1 = (v1 >> 1) ~ 0xD008
    return self.sched:release(ID_DEVICE_B)
  end
end

local DeviceTask = class()
function DeviceTask:init(sched) self.sched = sched; self.v1 = nil end
function DeviceTask:run(packet)
  if not packet then
    local v = self.v1
    if not v then return self.sched:suspend_current() end
    self.v1 = nil
    return self.sched:queue(v)
  end
  self.v1 = packet
  return self.sched:hold_current()
end

local WorkerTask = class()
function WorkerTask:init(sched, v1, v2) self.sched, self.v1, self.v2 = sched, v1, v2 end
function WorkerTask:run(packet)
  if not packet then return self.sched:suspend_current() end
  if self.v1 == ID_HANDLER_A then self.v1 = ID_HANDLER_B else self.v1 = ID_HANDLER_A end
  packet.id = self.v1
  packet.a1 = 0
  local a2, v2 = packet.a2, self.v2
  for i = 1, DATA_SIZE do
    v2 = v2 + 1
    if v2 > 26 then v2 = 1 end
    a2[i] = v2
  end
  self.v2 = v2
  return self.sched:queue(packet)
end

local HandlerTask = class()
function HandlerTask:init(sched) self.sched = sched; self.v1 = nil; self.v2 = nil end
function HandlerTask:run(packet)
  if packet then
    if packet.kind == KIND_WORK then self.v1 = packet:add_to(self.v1)
    else self.v2 = packet:add_to(self.v2) end
  end
  local v1 = self.v1
  if v1 then
    local count = v1.a1
    if count < DATA_SIZE then
      local v2 = self.v2
      if v2 then
        self.v2 = v2.link
        v2.a1 = v1.a2[count + 1]
        v1.a1 = count + 1
        return self.sched:queue(v2)
      end
    else
      self.v1 = v1.link
      return self.sched:queue(v1)
    end
  end
  return self.sched:suspend_current()
end

---------------------------------------------------------------- driver
local function run_richards()
  local s = Scheduler.new()
  s:add_running_task(ID_IDLE, 0, nil, IdleTask.new(s, 1, COUNT))

  local q = Packet.new(nil, ID_WORKER, KIND_WORK)
  q = Packet.new(q, ID_WORKER, KIND_WORK)
  s:add_task(ID_WORKER, 1000, q, WorkerTask.new(s, ID_HANDLER_A, 0))

  q = Packet.new(nil, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  s:add_task(ID_HANDLER_A, 2000, q, HandlerTask.new(s))

  q = Packet.new(nil, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  s:add_task(ID_HANDLER_B, 3000, q, HandlerTask.new(s))

  s:add_task(ID_DEVICE_A, 4000, nil, DeviceTask.new(s))
  s:add_task(ID_DEVICE_B, 5000, nil, DeviceTask.new(s))

  s:schedule()
  return s.queue_count, s.hold_count
end

local total_q, total_h = 0, 0
local qc, hc
for _ = 1, reps do
  qc, hc = run_richards()
  if qc ~= 23246 or hc ~= 9297 then
    error("richards: wrong result queue_count=" .. qc .. " hold_count=" .. hc)
  end
  total_q, total_h = total_q + qc, total_h + hc
end
print("queue_count " .. qc .. " hold_count " .. hc)
print("checksum " .. (total_q * 31 + total_h))
