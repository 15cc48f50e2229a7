-- The player's ship: turn, thrust and fire. Asteroids-style inertia; the playfield wraps.
-- Keys: Left/Right or A/D turn, Up or W thrust, Down or S brake, Space fire.
--
-- Hot reload: edit a number below while the game runs; the ship keeps its state
-- (self.angle, and the Player component) and uses the new value at once.

local TURN_SPEED = 4.2      -- radians per second
local THRUST = 520          -- units per second squared
local BRAKE = 3.0           -- extra drag while braking, per second
local DRAG = 0.5            -- drag, per second
local MAX_SPEED = 460
local FIRE_DELAY = 0.14     -- seconds between shots
local BULLET_SPEED = 760
local BULLET_LIFE = 0.85
local HALF_W, HALF_H = 640, 360

local function held(a, b)
    return input.pressed(a) or (b ~= nil and input.pressed(b))
end

local function wrap(v, half)
    if v > half then return v - 2 * half end
    if v < -half then return v + 2 * half end
    return v
end

function on_start(self)
    self.angle = self.angle or 0
    self.cooldown = 0
end

function on_update(self, dt)
    local e = self.entity
    if not e:exists() then return end -- removed by the game this frame
    local ship = e.Player
    local t = e.Transform

    if held("ArrowLeft", "KeyA") then self.angle = self.angle + TURN_SPEED * dt end
    if held("ArrowRight", "KeyD") then self.angle = self.angle - TURN_SPEED * dt end
    local fx, fy = -math.sin(self.angle), math.cos(self.angle)

    local v = ship.velocity
    local vx, vy = v.x, v.y
    if held("ArrowUp", "KeyW") then
        vx = vx + fx * THRUST * dt
        vy = vy + fy * THRUST * dt
    end
    local drag = DRAG
    if held("ArrowDown", "KeyS") then drag = drag + BRAKE end
    local k = math.max(0, 1 - drag * dt)
    vx, vy = vx * k, vy * k
    local speed = math.sqrt(vx * vx + vy * vy)
    if speed > MAX_SPEED then
        vx, vy = vx * MAX_SPEED / speed, vy * MAX_SPEED / speed
    end
    ship.velocity = Vec2.new(vx, vy)

    local p = t.translation
    local x = wrap(p.x + vx * dt, HALF_W)
    local y = wrap(p.y + vy * dt, HALF_H)
    t.translation = Vec3.new(x, y, 2)
    t.rotation = Quat.from_rotation_z(self.angle)

    -- Blink while the respawn shield lasts.
    if ship.shield > 0 then
        ship.shield = math.max(0, ship.shield - dt)
        local on = math.floor(ship.shield * 10) % 2 == 0
        e.Look.color = on and Color.hex("#7fd4ff") or Color.rgba(0.5, 0.8, 1.0, 0.25)
    end

    self.cooldown = self.cooldown - dt
    if held("Space") and self.cooldown <= 0 then
        self.cooldown = FIRE_DELAY
        world.spawn {
            Transform = { translation = Vec3.new(x + fx * 20, y + fy * 20, 1) },
            Bullet = {
                velocity = Vec2.new(fx * BULLET_SPEED + vx * 0.5, fy * BULLET_SPEED + vy * 0.5),
                life = BULLET_LIFE,
                radius = 4,
            },
            Look = { shape = "circle", size = Vec2.new(7, 7), color = Color.hex("#fff3a0") },
            Behaviour = { script = "scripts/game/bullet.lua" },
        }
        local gs = world.resource("GameState")
        if gs then gs.shots = gs.shots + 1 end
    end
end
