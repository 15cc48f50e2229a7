-- A swarmer (the sample mod's enemy; loaded from here until mod loading lands): small and
-- quick. It circles around the point where it appeared, then homes in on the ship for a
-- while, then circles again around wherever it got to.

local ORBIT_RADIUS = 60
local ORBIT_SPEED = 3.2      -- radians per second
local ORBIT_TIME = 2.0
local HOME_SPEED = 190
local HOME_TIME = 1.6
local HALF_W, HALF_H = 640, 360

local function clamp(v, half)
    return math.max(-half, math.min(half, v))
end

local function ship_position()
    for s in world.query("Ship", "Transform") do
        local p = s.Transform.translation
        return p.x, p.y
    end
    return nil
end

-- One frame: returns false if the swarmer is gone.
local function next_frame(self)
    wait_frames(1)
    return self.entity:exists()
end

function on_start(self)
    self.phase = math.random() * math.pi * 2
end

function on_update(self, dt)
    if not self.entity:exists() then return end
    local t = self.entity.Transform
    local p = t.translation
    local cx, cy = p.x - math.cos(self.phase) * ORBIT_RADIUS, p.y - math.sin(self.phase) * ORBIT_RADIUS

    -- circle
    local left = ORBIT_TIME
    while left > 0 do
        self.phase = self.phase + ORBIT_SPEED * time.delta
        t = self.entity.Transform
        t.translation = Vec3.new(clamp(cx + math.cos(self.phase) * ORBIT_RADIUS, HALF_W),
                                 clamp(cy + math.sin(self.phase) * ORBIT_RADIUS, HALF_H), 0)
        t.rotation = Quat.from_rotation_z(self.phase)
        left = left - time.delta
        if not next_frame(self) then return end
    end

    -- home in
    left = HOME_TIME
    while left > 0 do
        local sx, sy = ship_position()
        if not sx then break end
        t = self.entity.Transform
        p = t.translation
        local dx, dy = sx - p.x, sy - p.y
        local d = math.max(1, math.sqrt(dx * dx + dy * dy))
        local step = HOME_SPEED * time.delta
        t.translation = Vec3.new(p.x + dx / d * step, p.y + dy / d * step, 0)
        t.rotation = Quat.from_rotation_z(math.atan(dy, dx) - math.pi / 2)
        left = left - time.delta
        if not next_frame(self) then return end
    end
    -- the next orbit is centred where it ended up
    self.phase = math.random() * math.pi * 2
end
