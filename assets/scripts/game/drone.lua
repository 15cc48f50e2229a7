-- A drone: sequential behaviour written with wait(). Each on_update is one cycle:
--   1. patrol: drift in a random direction for a while,
--   2. telegraph: stop and flash white (the player's warning),
--   3. dash at where the ship is now,
-- then the next frame starts the next cycle. State that must survive a hot reload lives
-- in `self` (the cycle in progress restarts with the new code).

local PATROL_SPEED = 70
local PATROL_TIME = { 1.2, 2.4 }   -- seconds, random in this range
local TELEGRAPH_TIME = 0.45
local DASH_SPEED = 430
local DASH_TIME = 0.55
local COLOR = "#ff5a5a"
local FLASH = "#ffffff"
local HALF_W, HALF_H = 640, 360

local function wrap(v, half)
    if v > half then return v - 2 * half end
    if v < -half then return v + 2 * half end
    return v
end

-- Moves for `seconds` at (vx, vy), one step per frame. Returns false if the drone was
-- destroyed meanwhile (then the caller stops).
local function glide(self, vx, vy, seconds)
    local left = seconds
    while left > 0 do
        local dt = time.delta
        local t = self.entity.Transform
        local p = t.translation
        t.translation = Vec3.new(wrap(p.x + vx * dt, HALF_W), wrap(p.y + vy * dt, HALF_H), 0)
        t.rotation = Quat.from_rotation_z(time.elapsed * 2)
        left = left - dt
        wait_frames(1)
        if not self.entity:exists() then return false end
    end
    return true
end

local function ship_position()
    for s in world.query("Player", "Transform") do
        local p = s.Transform.translation
        return p.x, p.y
    end
    return nil
end

function on_start(self)
    self.cycles = 0
end

function on_update(self, dt)
    if not self.entity:exists() then return end
    self.cycles = self.cycles + 1

    -- 1. patrol
    local a = math.random() * math.pi * 2
    local secs = PATROL_TIME[1] + math.random() * (PATROL_TIME[2] - PATROL_TIME[1])
    if not glide(self, math.cos(a) * PATROL_SPEED, math.sin(a) * PATROL_SPEED, secs) then
        return
    end

    -- 2. telegraph
    self.entity.Look.color = Color.hex(FLASH)
    wait(TELEGRAPH_TIME)
    if not self.entity:exists() then return end
    self.entity.Look.color = Color.hex(COLOR)

    -- 3. dash at the ship (or keep patrolling if there is none)
    local sx, sy = ship_position()
    if sx then
        local p = self.entity.Transform.translation
        local dx, dy = sx - p.x, sy - p.y
        local d = math.sqrt(dx * dx + dy * dy)
        if d > 1 then
            glide(self, dx / d * DASH_SPEED, dy / d * DASH_SPEED, DASH_TIME)
        end
    end
end
