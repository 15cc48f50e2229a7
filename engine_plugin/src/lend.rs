//! The world lent to host functions while scripts run, and the typed `Transform` path.
//!
//! The script runner is an exclusive system: it lends its `&mut World` ([`world_scope`])
//! and host functions borrow it back one at a time ([`with_world`]). This module holds
//! the plugin's `unsafe` code: the lent pointer, and the `Transform` pointer that the
//! typed path keeps between accesses (a script touches its entity's `Transform` several
//! times per callback; after the first, an access is a compare and a load).

use std::cell::Cell;
use std::ptr::NonNull;

use bevy::ecs::change_detection::DetectChangesMut;
use bevy::ecs::component::ComponentId;
use bevy::ecs::world::{Mut, WorldId};
use bevy::prelude::{Entity, Transform, World};
use selenite::api::{Error, Result};

/// The lending state of this thread, in one thread-local so that an access reaches all
/// of it with one lookup.
struct Lend {
    /// The world lent by [`world_scope`]; empty while [`with_world`] borrows it.
    world: Cell<Option<NonNull<World>>>,
    /// Uses of the world by [`with_world`], and scope starts and ends: while it stays the
    /// same, nothing was spawned, despawned, inserted or removed, so no component moved.
    uses: Cell<u64>,
    /// `Transform`'s component id in the world with this id: the typed path finds the
    /// component by id, not by a type-id map lookup per access.
    transform_id: Cell<Option<(WorldId, ComponentId)>>,
    /// The `Transform` the typed path reached last (see [`TransformSlot`]).
    slot: Cell<Option<TransformSlot>>,
}

thread_local! {
    static LEND: Lend = const {
        Lend {
            world: Cell::new(None),
            uses: Cell::new(0),
            transform_id: Cell::new(None),
            slot: Cell::new(None),
        }
    };
}

/// Where the `Transform` of `entity` was while the world use count was `uses`.
#[derive(Clone, Copy)]
struct TransformSlot {
    entity: Entity,
    uses: u64,
    ptr: NonNull<Transform>,
    /// Reached for writing (the component is marked changed in this scope's tick).
    changed: bool,
}

fn bump_uses() {
    LEND.with(|l| l.uses.set(l.uses.get().wrapping_add(1)));
}

/// Lends `world` to host functions for the duration of `f`.
pub(crate) fn world_scope<R>(world: &mut World, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<NonNull<World>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            LEND.with(|l| {
                l.world.set(self.0);
                // Whatever the typed path kept belongs to the scope that ends.
                l.uses.set(l.uses.get().wrapping_add(1));
                l.slot.set(None);
            });
        }
    }
    bump_uses();
    let prev = LEND.with(|l| l.world.replace(Some(NonNull::from(world))));
    let _reset = Reset(prev);
    f()
}

/// Runs `f` with the world while scripts run (from a host function called by a script).
/// Outside a script run, or when nested, it is an error, never undefined behaviour: the
/// world is taken out of its slot for the duration of `f`.
///
/// ```
/// use bevy_selenite::with_world;
/// // Outside of a script run there is no world to lend.
/// assert!(with_world(|_world| ()).is_err());
/// ```
pub fn with_world<R>(f: impl FnOnce(&mut World) -> R) -> Result<R> {
    bump_uses();
    with_world_typed(f)
}

/// As [`with_world`], for this crate's typed accesses that only read or write a
/// component in place (never spawn, despawn, insert or remove): not counted in
/// [`world_uses`].
pub(crate) fn with_world_typed<R>(f: impl FnOnce(&mut World) -> R) -> Result<R> {
    lent(f).ok_or_else(no_world)
}

/// The error of a world access outside a script run.
pub(crate) fn no_world() -> Error {
    Error::runtime("the world is not available here (only while scripts run)")
}

/// Runs `f` with the lent world; `None` when it is not lent (or borrowed already).
fn lent<R>(f: impl FnOnce(&mut World) -> R) -> Option<R> {
    let ptr = LEND.with(|l| l.world.take())?;
    struct Restore(NonNull<World>);
    impl Drop for Restore {
        fn drop(&mut self) {
            LEND.with(|l| l.world.set(Some(self.0)));
        }
    }
    let restore = Restore(ptr);
    // SAFETY: the pointer was made from the `&mut World` lent by `world_scope`, whose
    // caller does not touch the world until the scope ends; taking it out of the slot
    // makes this the only live reference until `restore` puts it back.
    let world = unsafe { &mut *restore.0.as_ptr() };
    Some(f(world))
}

/// How many times the world was used through [`with_world`] (see `Lend::uses`).
pub(crate) fn world_uses() -> u64 {
    LEND.with(|l| l.uses.get())
}

/// `Transform`'s component id in `world`, `None` if it was never registered there.
fn transform_id(world: &World) -> Option<ComponentId> {
    let wid = world.id();
    LEND.with(|l| {
        if let Some((w, id)) = l.transform_id.get() {
            if w == wid {
                return Some(id);
            }
        }
        let id = world.component_id::<Transform>()?;
        l.transform_id.set(Some((wid, id)));
        Some(id)
    })
}

/// The `Transform` of `entity`; `None` when the entity is gone or has none.
pub(crate) fn get_transform(world: &World, entity: Entity) -> Option<&Transform> {
    let ptr = world.get_by_id(entity, transform_id(world)?)?;
    // SAFETY: the id is `Transform`'s in this very world (cached with the world's id), so
    // the component it points to is a `Transform`.
    Some(unsafe { ptr.deref::<Transform>() })
}

/// The `Transform` of `entity` for writing (marked changed when written through).
/// `Err(())`: the entity does not exist; `Ok(None)`: it has no `Transform`.
pub(crate) fn get_transform_mut(
    world: &mut World,
    entity: Entity,
) -> std::result::Result<Option<Mut<'_, Transform>>, ()> {
    let Some(id) = transform_id(world) else {
        return world.get_entity(entity).map(|_| None).map_err(|_| ());
    };
    let em = world.get_entity_mut(entity).map_err(|_| ())?;
    let Ok(m) = em.into_mut_by_id(id) else {
        return Ok(None);
    };
    // SAFETY: as in `get_transform`, `id` is `Transform`'s in this world.
    Ok(Some(unsafe { m.with_type::<Transform>() }))
}

/// What the typed path did not find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lack {
    /// The world is not lent (no script run) or is borrowed already.
    World,
    /// The entity does not exist.
    Entity,
    /// The entity has no `Transform`.
    Transform,
}

/// The kept `Transform` pointer for `entity`, if it is still good: same entity, no
/// structural use of the world since it was taken, the world lent and not borrowed now,
/// and (for a write) the component already marked changed.
fn kept_transform(entity: Entity, write: bool) -> Option<NonNull<Transform>> {
    LEND.with(|l| {
        let s = l.slot.get()?;
        let good = s.entity == entity
            && s.uses == l.uses.get()
            && (s.changed || !write)
            && l.world.get().is_some();
        good.then_some(s.ptr)
    })
}

fn keep_transform(entity: Entity, ptr: NonNull<Transform>, changed: bool) {
    LEND.with(|l| {
        l.slot.set(Some(TransformSlot {
            entity,
            uses: l.uses.get(),
            ptr,
            changed,
        }))
    });
}

/// Runs `f` on the `Transform` of `entity` (the typed read path).
pub(crate) fn read_transform<R>(
    entity: Entity,
    f: impl FnOnce(&Transform) -> R,
) -> std::result::Result<R, Lack> {
    if let Some(ptr) = kept_transform(entity, false) {
        // SAFETY: `kept_transform` vouches that the component has not moved since the
        // pointer was taken from a `&mut Transform` (components move only when the world
        // is used structurally, which changes the use count; the scope's end does too)
        // and that no `&mut World` is live (the world is in its slot).
        return Ok(f(unsafe { ptr.as_ref() }));
    }
    lent(|w| match get_transform_mut(w, entity) {
        Err(()) => Err(Lack::Entity),
        Ok(None) => Err(Lack::Transform),
        Ok(Some(mut t)) => {
            let ptr = NonNull::from(t.bypass_change_detection());
            keep_transform(entity, ptr, false);
            // SAFETY: just made from the `&mut Transform` of `t`, which is not used again.
            Ok(f(unsafe { ptr.as_ref() }))
        }
    })
    .unwrap_or(Err(Lack::World))
}

/// Runs `f` on the `Transform` of `entity` for writing, marking it changed (the typed
/// write path).
pub(crate) fn write_transform<R>(
    entity: Entity,
    f: impl FnOnce(&mut Transform) -> R,
) -> std::result::Result<R, Lack> {
    if let Some(mut ptr) = kept_transform(entity, true) {
        // SAFETY: as in `read_transform`; this scope already marked the component changed
        // (its change tick stays the same until the world is used structurally).
        return Ok(f(unsafe { ptr.as_mut() }));
    }
    lent(|w| match get_transform_mut(w, entity) {
        Err(()) => Err(Lack::Entity),
        Ok(None) => Err(Lack::Transform),
        Ok(Some(mut t)) => {
            // `DerefMut` marks the component changed.
            let mut ptr = NonNull::from(&mut *t);
            keep_transform(entity, ptr, true);
            // SAFETY: just made from the `&mut Transform` of `t`, which is not used again.
            Ok(f(unsafe { ptr.as_mut() }))
        }
    })
    .unwrap_or(Err(Lack::World))
}
