/* Baseline for the plugin benchmark (engine_plugin/examples/bench_transform.rs): the same
 * per-entity script on PUC Lua 5.4 with a conventional C binding. Deliberately generous to
 * C Lua: no ECS (transforms live in a C array), no budgets, no sandbox, one shared `self`
 * function environment; references are full userdata made once per entity and cached in
 * user values, so no access allocates. Run by scripts/bench-plugin.sh; not part of the
 * product (which contains no C Lua). */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { float t[3]; float r[4]; float s[3]; } Transform;
static Transform *T;

typedef struct { int e; int part; } Ref; /* part 0: Transform, 1: translation */

static int ref_index(lua_State *L) {
  Ref *r = (Ref *)lua_touserdata(L, 1);
  size_t n;
  const char *k = lua_tolstring(L, 2, &n);
  if (r->part == 0) {
    if (k && n == 11 && memcmp(k, "translation", 11) == 0) {
      lua_getiuservalue(L, 1, 1); /* cached translation ref */
      return 1;
    }
    return luaL_error(L, "Transform has no field '%s'", k ? k : "?");
  }
  if (k && n == 1 && k[0] >= 'x' && k[0] <= 'z') {
    lua_pushnumber(L, T[r->e].t[k[0] - 'x']);
    return 1;
  }
  return luaL_error(L, "Vec3 has no field '%s'", k ? k : "?");
}

static int ref_newindex(lua_State *L) {
  Ref *r = (Ref *)lua_touserdata(L, 1);
  size_t n;
  const char *k = lua_tolstring(L, 2, &n);
  if (r->part == 1 && k && n == 1 && k[0] >= 'x' && k[0] <= 'z') {
    T[r->e].t[k[0] - 'x'] = (float)luaL_checknumber(L, 3);
    return 0;
  }
  return luaL_error(L, "cannot set '%s'", k ? k : "?");
}

static int entity_index(lua_State *L) {
  size_t n;
  const char *k = lua_tolstring(L, 2, &n);
  if (k && n == 9 && memcmp(k, "Transform", 9) == 0) {
    lua_getiuservalue(L, 1, 1); /* cached Transform ref */
    return 1;
  }
  lua_pushnil(L);
  return 1;
}

static const char *SCRIPT =
  "return function(self, dt)\n"
  "    local t = self.entity.Transform\n"
  "    t.translation.x = t.translation.x + dt\n"
  "    t.translation.y = t.translation.y + 0.5 * dt\n"
  "end\n";

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 10000;
  int frames = argc > 2 ? atoi(argv[2]) : 100;
  T = calloc(n, sizeof(Transform));
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  luaL_newmetatable(L, "Ref");
  lua_pushcfunction(L, ref_index); lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ref_newindex); lua_setfield(L, -2, "__newindex");
  lua_pop(L, 1);
  luaL_newmetatable(L, "Entity");
  lua_pushcfunction(L, entity_index); lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  if (luaL_dostring(L, SCRIPT)) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); return 1; }
  int fn = luaL_ref(L, LUA_REGISTRYINDEX);
  int *selves = malloc(n * sizeof(int));
  for (int i = 0; i < n; i++) {
    T[i].t[0] = (float)i;
    lua_newtable(L); /* self */
    {
      lua_newuserdatauv(L, sizeof(int), 1);
      *(int *)lua_touserdata(L, -1) = i;
      luaL_setmetatable(L, "Entity");
      Ref *tr = (Ref *)lua_newuserdatauv(L, sizeof(Ref), 1);
      tr->e = i; tr->part = 0;
      luaL_setmetatable(L, "Ref");
      Ref *tt = (Ref *)lua_newuserdatauv(L, sizeof(Ref), 1);
      tt->e = i; tt->part = 1;
      luaL_setmetatable(L, "Ref");
      lua_setiuservalue(L, -2, 1); /* Transform ref -> translation ref */
      lua_setiuservalue(L, -2, 1); /* entity -> Transform ref */
      lua_setfield(L, -2, "entity");
    }
    selves[i] = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  double dt = 0.016, total = 0;
  for (int f = 0; f < frames + 1; f++) {
    double t0 = now();
    for (int i = 0; i < n; i++) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, fn);
      lua_rawgeti(L, LUA_REGISTRYINDEX, selves[i]);
      lua_pushnumber(L, dt);
      if (lua_pcall(L, 2, 0, 0)) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); return 1; }
    }
    if (f > 0) total += now() - t0; /* the first frame warms up */
  }
  printf("%d entities, %d frames: %.3f ms/frame (x of entity 7: %.3f)\n", n, frames,
         total * 1000 / frames, T[7].t[0]);
  return 0;
}
