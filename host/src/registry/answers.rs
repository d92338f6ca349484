//! How a data set answers its WIT functions inside the sandbox. Each answer
//! defines one function in the linker; wasmtime checks its Rust signature
//! against the function's WIT type when a check is loaded (and the registry
//! tests check every function of `wit/check.wit` at once).

use wasmtime::StoreContextMut;
use wasmtime::component::{ComponentType, Lift, LinkerInstance, Lower};

use super::{DataSet, Outcome, PerKey};
use crate::runtime::CheckState;

/// One WIT function answered from a data set of type `V`.
pub trait Answer<V: 'static>: Sync {
    /// The function's name in the data set's interface.
    fn function(&self) -> &'static str;
    fn link(
        &self,
        set: &'static DataSet<V>,
        instance: &mut LinkerInstance<'_, CheckState>,
    ) -> wasmtime::Result<()>;
}

/// The whole value: `buckets: func() -> result<list<bucket>, data-error>`.
pub struct Whole(pub &'static str);

impl<V> Answer<V> for Whole
where
    V: ComponentType + Lower + Clone + Send + Sync + 'static,
{
    fn function(&self) -> &'static str {
        self.0
    }

    fn link(
        &self,
        set: &'static DataSet<V>,
        instance: &mut LinkerInstance<'_, CheckState>,
    ) -> wasmtime::Result<()> {
        let function = self.0;
        instance.func_wrap(
            function,
            move |store: StoreContextMut<'_, CheckState>, (): ()| {
                let data = store.data().collected_for(set.interface, function)?;
                Ok((data.read(set).cloned(),))
            },
        )
    }
}

/// A part of the value, for data sets that one AWS call answers for several
/// functions: `users: func() -> ...` from the authorization details.
pub struct Part<V, R> {
    pub function: &'static str,
    pub pick: fn(&V) -> R,
}

impl<V, R> Answer<V> for Part<V, R>
where
    V: Send + Sync + 'static,
    R: ComponentType + Lower + Send + Sync + 'static,
{
    fn function(&self) -> &'static str {
        self.function
    }

    fn link(
        &self,
        set: &'static DataSet<V>,
        instance: &mut LinkerInstance<'_, CheckState>,
    ) -> wasmtime::Result<()> {
        let (function, pick) = (self.function, self.pick);
        instance.func_wrap(
            function,
            move |store: StoreContextMut<'_, CheckState>, (): ()| {
                let data = store.data().collected_for(set.interface, function)?;
                Ok((data.read(set).map(pick),))
            },
        )
    }
}

/// An answer computed from the value and the function's one argument:
/// `entities-for-policy: func(policy-arn: string) -> ...`.
pub struct Lookup<V, A, R> {
    pub function: &'static str,
    pub find: fn(&V, A) -> Outcome<R>,
}

impl<V, A, R> Answer<V> for Lookup<V, A, R>
where
    V: Send + Sync + 'static,
    A: ComponentType + Lift + Send + Sync + 'static,
    R: ComponentType + Lower + Send + Sync + 'static,
{
    fn function(&self) -> &'static str {
        self.function
    }

    fn link(
        &self,
        set: &'static DataSet<V>,
        instance: &mut LinkerInstance<'_, CheckState>,
    ) -> wasmtime::Result<()> {
        let (function, find) = (self.function, self.find);
        instance.func_wrap(
            function,
            move |store: StoreContextMut<'_, CheckState>, (argument,): (A,)| {
                let data = store.data().collected_for(set.interface, function)?;
                Ok((data.read(set).and_then(|value| find(value, argument)),))
            },
        )
    }
}

/// One region's or one resource's outcome of a per-key data set:
/// `analyzers: func(region: string) -> ...`.
pub struct ForKey(pub &'static str);

impl<T> Answer<PerKey<T>> for ForKey
where
    T: ComponentType + Lower + Clone + Send + Sync + 'static,
{
    fn function(&self) -> &'static str {
        self.0
    }

    fn link(
        &self,
        set: &'static DataSet<PerKey<T>>,
        instance: &mut LinkerInstance<'_, CheckState>,
    ) -> wasmtime::Result<()> {
        let function = self.0;
        instance.func_wrap(
            function,
            move |store: StoreContextMut<'_, CheckState>, (key,): (String,)| {
                let data = store.data().collected_for(set.interface, function)?;
                Ok((data.entry(set, &key),))
            },
        )
    }
}

/// A part of one region's or one resource's outcome, for per-key data sets
/// that one AWS call answers for several functions: `instances(region)` and
/// `instance-metadata-options(region)` from one `DescribeInstances` per
/// region. `pick` may refuse with a data error, when the stored value lacks
/// the part (a snapshot written before the host recorded it).
pub struct ForKeyPart<T, R> {
    pub function: &'static str,
    pub pick: fn(T) -> Outcome<R>,
}

impl<T, R> Answer<PerKey<T>> for ForKeyPart<T, R>
where
    T: Clone + Send + Sync + 'static,
    R: ComponentType + Lower + Send + Sync + 'static,
{
    fn function(&self) -> &'static str {
        self.function
    }

    fn link(
        &self,
        set: &'static DataSet<PerKey<T>>,
        instance: &mut LinkerInstance<'_, CheckState>,
    ) -> wasmtime::Result<()> {
        let (function, pick) = (self.function, self.pick);
        instance.func_wrap(
            function,
            move |store: StoreContextMut<'_, CheckState>, (key,): (String,)| {
                let data = store.data().collected_for(set.interface, function)?;
                Ok((data.entry(set, &key).and_then(pick),))
            },
        )
    }
}
