//! `.lua` files as Bevy assets: [`LuaScript`], compiled off the main thread by
//! [`LuaScriptLoader`].

use std::sync::Arc;

use bevy::asset::io::Reader;
use bevy::asset::{Asset, AssetLoader, LoadContext};
use bevy::reflect::TypePath;
use selenite::bytecode::Proto;
use thiserror::Error;

/// A compiled Lua script. Compilation happens in the loader (an IO task thread); a script
/// that does not compile still loads, holding its error (`path:line: message`), so that a
/// bad edit during hot reload is reported instead of unloading the running script.
#[derive(Asset, TypePath, Debug, Clone)]
pub struct LuaScript {
    /// Asset path (`scripts/enemy.lua`); the chunk name is `@` + this path.
    pub path: String,
    /// The compiled main chunk, or the compile error.
    pub compiled: Result<Arc<Proto>, String>,
}

impl LuaScript {
    /// Compiles source text as the asset at `path` would be.
    pub fn compile(path: &str, source: &[u8]) -> LuaScript {
        let chunk = format!("@{path}");
        let compiled = selenite::parser::parse(source, &chunk)
            .and_then(|ast| selenite::compiler::compile(&ast, &chunk))
            .map(Arc::new)
            .map_err(|e| e.message);
        LuaScript {
            path: path.to_string(),
            compiled,
        }
    }

    /// The chunk name (`@scripts/enemy.lua`).
    pub fn chunk_name(&self) -> String {
        format!("@{}", self.path)
    }
}

/// Loads `.lua` files as [`LuaScript`]s.
#[derive(Default, TypePath)]
pub struct LuaScriptLoader;

/// The loader fails only when the file cannot be read (compile errors load, see
/// [`LuaScript::compiled`]).
#[derive(Debug, Error)]
pub enum LuaScriptLoaderError {
    #[error("cannot read script: {0}")]
    Io(#[from] std::io::Error),
}

impl AssetLoader for LuaScriptLoader {
    type Asset = LuaScript;
    type Settings = ();
    type Error = LuaScriptLoaderError;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        load_context: &mut LoadContext<'_>,
    ) -> Result<LuaScript, LuaScriptLoaderError> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        let path = load_context.path().to_string();
        Ok(LuaScript::compile(&path, &bytes))
    }

    fn extensions(&self) -> &[&str] {
        &["lua"]
    }
}
