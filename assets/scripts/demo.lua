-- A tiny "game" driven from Rust: the host calls on_update(dt) once per frame.
local world = { ships = {} }

for i = 1, 3 do
  world.ships[i] = { name = "ship" .. i, x = 0, speed = i * 10 }
end

function on_update(dt)
  for _, ship in ipairs(world.ships) do
    ship.x = ship.x + ship.speed * dt
  end
end

function report()
  for _, ship in ipairs(world.ships) do
    print(ship.name, ship.x)
  end
end
