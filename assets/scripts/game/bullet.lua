-- A bullet: flies straight, wraps around the playfield, fades out at the end of its life.

local HALF_W, HALF_H = 640, 360

local function wrap(v, half)
    if v > half then return v - 2 * half end
    if v < -half then return v + 2 * half end
    return v
end

function on_update(self, dt)
    local e = self.entity
    if not e:exists() then return end -- hit something this frame
    local b = e.Bullet
    local life = b.life - dt
    if life <= 0 then
        e:despawn()
        return
    end
    b.life = life
    local v = b.velocity
    local t = e.Transform
    local p = t.translation
    t.translation = Vec3.new(wrap(p.x + v.x * dt, HALF_W), wrap(p.y + v.y * dt, HALF_H), 1)
end
