-- Movement helpers of the swarmer mod (a module: `require("swarm")`).
local M = {}

M.SPEED = 180.0
M.RADIUS = 420.0
M.WEAVE = 40.0

-- Where swarmer `i` of `n` enters: on a circle around the origin, the wave's side
-- rotating with time.
function M.wave_position(i, n, t)
    local a = t * 0.7 + (i / n) * 0.6
    return math.cos(a) * M.RADIUS, math.sin(a) * M.RADIUS
end

-- The player's position if the game has a `Player` component, else the origin.
function M.player_position()
    local ok, it = pcall(world.query, "Player", "Transform")
    if ok then
        for p in it do
            return p.Transform.translation
        end
    end
    return Vec3.new(0, 0, 0)
end

-- One step toward `target`, weaving sideways.
function M.step(pos, target, speed, t, dt)
    local to = target - pos
    local d = to:length()
    if d < 1 then
        return pos
    end
    local dir = to / d
    local side = Vec3.new(-dir.y, dir.x, 0) * (math.sin(t * 6 + pos.x * 0.05) * M.WEAVE)
    return pos + (dir * speed + side) * dt
end

return M
