-- The wave director: when no drone is left, announces the next wave and brings its drones
-- in one by one (sequential logic with wait()). Swarmers come from the sample mod
-- (assets/mods/swarmer/), on their own schedule: they do not hold the waves back.

local HALF_W, HALF_H = 640, 360
local BANNER_TIME = 1.2
local SPAWN_GAP = 0.35

local function drone_count()
    local n = 0
    for e in world.query("Enemy") do
        if e.Enemy.kind == "Drone" then n = n + 1 end
    end
    return n
end

-- A point on the edge of the playfield, away from the centre where the ship starts.
local function edge_point()
    local side = math.random(4)
    if side == 1 then return -HALF_W + 20, (math.random() * 2 - 1) * HALF_H end
    if side == 2 then return HALF_W - 20, (math.random() * 2 - 1) * HALF_H end
    if side == 3 then return (math.random() * 2 - 1) * HALF_W, HALF_H - 20 end
    return (math.random() * 2 - 1) * HALF_W, -HALF_H + 20
end

local function spawn_drone(x, y)
    world.spawn {
        Transform = { translation = Vec3.new(x, y, 0) },
        Enemy = { hp = 2, points = 100, radius = 16, kind = "Drone" },
        Look = { shape = "diamond", size = Vec2.new(28, 38), color = Color.hex("#ff5a5a") },
        Behaviour = { script = "scripts/game/drone.lua" },
    }
end

-- Still the same game, not over? (Checked after every wait.)
local function still_on(self)
    local gs = world.resource("GameState")
    return gs ~= nil and not gs.over and gs.games == self.game
end

function on_update(self, dt)
    local gs = world.resource("GameState")
    if not gs or gs.over then return end
    if self.game ~= gs.games then
        self.game = gs.games
        self.wave = 0
    end
    if drone_count() > 0 then return end

    self.wave = self.wave + 1
    gs.wave = self.wave
    gs.banner = "WAVE " .. self.wave
    wait(BANNER_TIME)
    if not still_on(self) then return end
    world.resource("GameState").banner = ""

    for i = 1, 1 + self.wave * 2 do
        spawn_drone(edge_point())
        wait(SPAWN_GAP)
        if not still_on(self) then return end
    end
    -- Give the new enemies a frame to exist before the next count.
    wait_frames(2)
end
