-- The rules: spawns the ship, checks collisions, keeps the score and the lives, ends the
-- game and restarts it (R). The score lives in the GameState resource (shared with the
-- wave director and shown by the HUD) and in self (kept across hot reloads).

local LIVES = 3
local SHIELD_TIME = 2.0      -- seconds of invulnerability after (re)spawning
local SHIP_RADIUS = 13

local function spawn_ship()
    return world.spawn {
        Transform = { translation = Vec3.new(0, 0, 2) },
        Player = { radius = SHIP_RADIUS, velocity = Vec2.new(0, 0), shield = SHIELD_TIME },
        Look = { shape = "triangle", size = Vec2.new(26, 32), color = Color.hex("#7fd4ff") },
        Behaviour = { script = "scripts/game/ship.lua" },
    }
end

local function despawn_all(...)
    for _, e in ipairs(world.query_all(...)) do
        e:despawn()
    end
end

local function new_game(self, gs)
    despawn_all("Enemy")
    despawn_all("Bullet")
    despawn_all("Player")
    gs.score = 0
    gs.lives = LIVES
    gs.wave = 0
    gs.over = false
    gs.banner = ""
    gs.games = gs.games + 1
    self.ship = spawn_ship()
    log.info("game " .. gs.games .. " started")
end

local function game_over(self, gs)
    gs.over = true
    if gs.score > gs.high_score then gs.high_score = gs.score end
    gs.banner = "GAME OVER - score " .. gs.score .. " - press R to restart"
    despawn_all("Player")
    self.ship = nil
    emit("game_over", { score = gs.score, wave = gs.wave })
    log.info("game over, score " .. gs.score)
end

function on_start(self)
    local gs = world.resource("GameState")
    if gs then new_game(self, gs) end
end

-- Positions and radii of everything with `component`, as a plain Lua list.
local function gather(component)
    local out = {}
    for e in world.query(component, "Transform") do
        local p = e.Transform.translation
        out[#out + 1] = { e = e, x = p.x, y = p.y, r = e[component].radius }
    end
    return out
end

local function touching(a, b)
    local dx, dy = a.x - b.x, a.y - b.y
    local r = a.r + b.r
    return dx * dx + dy * dy <= r * r
end

function on_update(self, dt)
    local gs = world.resource("GameState")
    if not gs then return end

    if gs.over then
        if input.just_pressed("KeyR") or input.just_pressed("Enter") then
            new_game(self, gs)
        end
        return
    end

    local enemies = gather("Enemy")
    local bullets = gather("Bullet")

    -- Bullets against enemies.
    for _, b in ipairs(bullets) do
        for _, en in ipairs(enemies) do
            if not en.dead and touching(b, en) then
                b.e:despawn()
                local data = en.e.Enemy
                data.hp = data.hp - 1
                if data.hp <= 0 then
                    en.dead = true
                    gs.score = gs.score + data.points
                    gs.kills = gs.kills + 1
                    en.e:despawn()
                else
                    en.e.Look.color = Color.hex("#ffd080")
                end
                break
            end
        end
    end

    -- Enemies against the ship.
    for s in world.query("Player", "Transform") do
        local ship = s.Player
        if ship.shield <= 0 then
            local p = s.Transform.translation
            local me = { x = p.x, y = p.y, r = ship.radius }
            for _, en in ipairs(enemies) do
                if not en.dead and touching(me, en) then
                    en.dead = true
                    en.e:despawn()
                    gs.lives = gs.lives - 1
                    if gs.lives <= 0 then
                        game_over(self, gs)
                        return
                    end
                    -- Respawn in the middle, shielded.
                    s.Transform.translation = Vec3.new(0, 0, 2)
                    ship.velocity = Vec2.new(0, 0)
                    ship.shield = SHIELD_TIME
                    break
                end
            end
        end
    end
end
