-- A small Whitted-style ray tracer: spheres and a checkered floor plane, two
-- point lights with shadows, Phong specular and one level of reflection.
-- Vectors are tables with a metatable providing __add, __sub, __mul
-- (scalar product when one side is a number, dot product for two vectors)
-- and __unm.  Renders W x H pixels and prints a checksum of the 8-bit colours.
-- usage: raytracer.lua [width [height]]   (default 240 x 180)
local W = tonumber(arg and arg[1]) or 240
local H = tonumber(arg and arg[2]) or (W * 3 // 4)
local MAX_DEPTH = 3

local sqrt, floor = math.sqrt, math.floor

---------------------------------------------------------------- vectors
local Vec = {}
Vec.__index = Vec

local function vec(x, y, z) return setmetatable({ x = x, y = y, z = z }, Vec) end

Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y, a.z + b.z) end
Vec.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y, a.z - b.z) end
Vec.__unm = function(a) return vec(-a.x, -a.y, -a.z) end
Vec.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y, a * b.z) end
  if type(b) == "number" then return vec(a.x * b, a.y * b, a.z * b) end
  return a.x * b.x + a.y * b.y + a.z * b.z -- dot product
end

function Vec:cross(b)
  return vec(self.y * b.z - self.z * b.y, self.z * b.x - self.x * b.z, self.x * b.y - self.y * b.x)
end
function Vec:length() return sqrt(self * self) end
function Vec:norm() return self * (1.0 / self:length()) end
-- component-wise product, used for colours
function Vec:mod(b) return vec(self.x * b.x, self.y * b.y, self.z * b.z) end

local BLACK = vec(0, 0, 0)
local WHITE = vec(1, 1, 1)

---------------------------------------------------------------- scene objects
local Sphere = {}
Sphere.__index = Sphere
local function sphere(center, radius, color, reflect)
  return setmetatable({ center = center, r2 = radius * radius, color = color,
                        reflect = reflect, specular = 40 }, Sphere)
end
function Sphere:intersect(orig, dir)
  local oc = self.center - orig
  local b = oc * dir
  local det = b * b - (oc * oc) + self.r2
  if det < 0 then return nil end
  det = sqrt(det)
  local t = b - det
  if t > 1e-6 then return t end
  t = b + det
  if t > 1e-6 then return t end
  return nil
end
function Sphere:normal(p) return (p - self.center):norm() end
function Sphere:color_at(_p) return self.color end

local Plane = {}
Plane.__index = Plane
local function plane(normal, offset, reflect)
  return setmetatable({ n = normal:norm(), offset = offset, reflect = reflect, specular = 0 }, Plane)
end
function Plane:intersect(orig, dir)
  local denom = self.n * dir
  if denom > -1e-9 and denom < 1e-9 then return nil end
  local t = -(self.n * orig + self.offset) / denom
  if t > 1e-6 then return t end
  return nil
end
function Plane:normal(_p) return self.n end
local CHECK_A, CHECK_B = vec(0.9, 0.9, 0.9), vec(0.15, 0.15, 0.2)
function Plane:color_at(p)
  if (floor(p.x) + floor(p.z)) % 2 == 0 then return CHECK_A end
  return CHECK_B
end

local objects = {
  plane(vec(0, 1, 0), 1.0, 0.25),
  sphere(vec(0, 0, 5), 1.0, vec(0.9, 0.2, 0.2), 0.3),
  sphere(vec(-2.2, 0.2, 6.5), 1.2, vec(0.2, 0.9, 0.3), 0.2),
  sphere(vec(2.0, -0.4, 4.2), 0.6, vec(0.2, 0.3, 0.95), 0.5),
  sphere(vec(0.7, 1.6, 7.5), 0.8, vec(0.95, 0.85, 0.2), 0.1),
  sphere(vec(-0.9, -0.7, 3.6), 0.3, vec(0.8, 0.8, 0.8), 0.6),
}
local lights = {
  { pos = vec(-4, 6, -2), color = vec(0.8, 0.8, 0.8) },
  { pos = vec(3, 4, 1), color = vec(0.5, 0.45, 0.4) },
}
local AMBIENT = 0.1
local SKY = vec(0.35, 0.5, 0.8)

---------------------------------------------------------------- tracing
local function closest(orig, dir)
  local best_t, best_o = math.huge, nil
  for i = 1, #objects do
    local o = objects[i]
    local t = o:intersect(orig, dir)
    if t and t < best_t then best_t, best_o = t, o end
  end
  return best_o, best_t
end

local function in_shadow(p, to_light, dist)
  for i = 1, #objects do
    local t = objects[i]:intersect(p, to_light)
    if t and t < dist then return true end
  end
  return false
end

local function spec_power(x, n) -- x ^ n for integer n by squaring (avoids pow)
  local r = 1.0
  while n > 0 do
    if n & 1 == 1 then r = r * x end
    x = x * x
    n = n >> 1
  end
  return r
end

local function trace(orig, dir, depth)
  local obj, t = closest(orig, dir)
  if not obj then
    local k = 0.5 * (dir.y + 1)
    return SKY * k + WHITE * (0.3 * (1 - k))
  end
  local p = orig + dir * t
  local n = obj:normal(p)
  if n * dir > 0 then n = -n end
  local base = obj:color_at(p)
  local color = base * AMBIENT
  local eye = -dir
  for i = 1, #lights do
    local light = lights[i]
    local l = light.pos - p
    local dist = l:length()
    l = l * (1.0 / dist)
    local diffuse = n * l
    if diffuse > 0 and not in_shadow(p, l, dist) then
      color = color + base:mod(light.color) * diffuse
      if obj.specular > 0 then
        local h = (l + eye):norm()
        local s = n * h
        if s > 0 then color = color + light.color * spec_power(s, obj.specular) end
      end
    end
  end
  if depth < MAX_DEPTH and obj.reflect > 0 then
    local r = dir - n * (2 * (dir * n))
    local rc = trace(p, r, depth + 1)
    color = color * (1 - obj.reflect) + rc * obj.reflect
  end
  return color
end

local function to_byte(c)
  if c <= 0 then return 0 end
  if c >= 1 then return 255 end
  return floor(c * 255 + 0.5)
end

---------------------------------------------------------------- camera and render
local eye = vec(0, 0.6, -1.5)
local look_at = vec(0, 0, 5)
local forward = (look_at - eye):norm()
local right = vec(0, 1, 0):cross(forward):norm()
local up = forward:cross(right)
local fov_scale = 0.9

local hash = 2166136261
local total = 0
for y = 0, H - 1 do
  local sy = (1 - 2 * (y + 0.5) / H) * fov_scale * H / W
  for x = 0, W - 1 do
    local sx = (2 * (x + 0.5) / W - 1) * fov_scale
    local dir = (forward + right * sx + up * sy):norm()
    local c = trace(eye, dir, 0)
    local r, g, b = to_byte(c.x), to_byte(c.y), to_byte(c.z)
    total = total + r + g + b
    hash = ((hash ~ r) * 16777619) & 0xffffffff
    hash = ((hash ~ g) * 16777619) & 0xffffffff
    hash = ((hash ~ b) * 16777619) & 0xffffffff
  end
end
print("raytracer " .. W .. "x" .. H .. " colour sum " .. total)
print(string.format("checksum %08x", hash))
