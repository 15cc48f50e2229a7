-- package.preload, custom searchers, package.searchpath.
package.path = "./modules/?.lua"
package.cpath = ""
package.preload.virtual = function(...)
  print("preload loader", ...)
  return { from = "preload" }
end
print(require("virtual").from)
print(select(2, require("virtual")))
package.loaded.virtual = nil
print(select(2, require("virtual")))

-- A searcher added in front: receives the name, returns a loader and its data.
table.insert(package.searchers, 1, function(name)
  if name:sub(1, 6) == "asset:" then
    return function(n, data) return "asset " .. n .. " with " .. data end, "asset data"
  end
  return "\n\tno asset '" .. name .. "'"
end)
print(require("asset:hero"))
print(pcall(require, "nowhere"))
-- A searcher returning nothing adds nothing to the message.
package.searchers[1] = function() end
print(pcall(require, "nowhere"))
-- A searcher that errors stops require.
package.searchers[1] = function(name) error("searcher failed for " .. name) end
print(pcall(require, "nowhere"))
table.remove(package.searchers, 1)

-- A loader that errors.
package.preload.bad = function() error("loader error") end
print(pcall(require, "bad"))
print(package.loaded.bad)
-- Loaders receive the name and ":preload:".
package.preload.args = function(...) return select("#", ...), ... end
print(require("args"))

-- package.searchpath
print(package.searchpath("pkgtest_mod", package.path))
print(package.searchpath("pkgtest.sub.leaf", "./modules/?.lua"))
print(package.searchpath("a.b.c", "./x/?.lua;./y/?.so;/z/?/init.lua"))
print(package.searchpath("a.b", "?", "", ""))
print(package.searchpath("a_b", "./?.x", "_", "-"))
print(package.searchpath("m", ""))
print(pcall(package.searchpath))
print(pcall(package.searchpath, "x"))
