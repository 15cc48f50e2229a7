-- Swarmer: a new enemy type, added by a mod.
--
-- The game is expected to register a reflected `Enemy` component; the fields used here are
-- `kind` (string), `hp` and `speed` (numbers). Missing fields take the component's
-- defaults; a game without an `Enemy` component still gets moving swarmer entities (only
-- a Transform), with a warning.

local swarm = require("swarm")

local GROUP = 5          -- swarmers per wave
local WAVE_EVERY = 6.0   -- seconds between waves

function spawn_swarmer(x, y)
    local e = world.spawn{ Transform = { translation = Vec3.new(x, y, 0) } }
    local ok, err = pcall(e.insert, e, "Enemy", { kind = "Swarmer", hp = 1, speed = swarm.SPEED })
    if not ok and not warned then
        warned = true
        log.warn("no Enemy component in this game: " .. tostring(err))
    end
    storage.spawned = (storage.spawned or 0) + 1
    return e
end

function on_start(self)
    self.next_wave = 1.0
    log.info("swarmers ready (" .. (storage.spawned or 0) .. " spawned in earlier sessions)")
end

function on_update(self, dt)
    self.next_wave = self.next_wave - dt
    if self.next_wave <= 0 then
        self.next_wave = WAVE_EVERY
        for i = 1, GROUP do
            local x, y = swarm.wave_position(i, GROUP, time.elapsed)
            spawn_swarmer(x, y)
        end
    end
    local target = swarm.player_position()
    for e in world.query("Enemy", "Transform") do
        local enemy = e.Enemy
        if enemy.kind == "Swarmer" then
            local t = e.Transform
            local p = swarm.step(t.translation, target, enemy.speed, time.elapsed, dt)
            t.translation = p
        end
    end
end
