//! Password hashing with Argon2id (RFC 9106), run off the async threads on a bounded pool.
//!
//! Each hash needs its whole memory cost at once (19 MiB in the standard profile). Without a
//! bound, 150 clients sending wrong passwords took the portal from 0.9 to 8.2 GB resident, and
//! it stayed there (issue 9, finding 2): each hash allocated its blocks afresh on whichever
//! blocking thread ran it, and the allocator kept the freed memory. So every hash runs on a
//! [`HashPool`]: at most [`HashPool::slots`] hashes at once,
//! each on one of a fixed set of block buffers that are allocated once and reused (wiped after
//! every use), a short queue behind them, and beyond that [`PasswordError::Busy`] at once (the
//! web layer answers 503 with `Retry-After`). The portal's memory for hashing is then at most
//! `slots × memory cost`, however many requests arrive.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;
use zeroize::{Zeroize as _, Zeroizing};

use crate::tokens::random_bytes;

/// Memory cost of the standard profile in KiB: 19 MiB with 2 passes is the OWASP Password
/// Storage Cheat Sheet's first Argon2id setting, sized for a server hashing many logins.
pub const STANDARD_M_COST_KIB: u32 = 19 * 1024;
/// Passes of the standard profile (OWASP, see [`STANDARD_M_COST_KIB`]).
pub const STANDARD_T_COST: u32 = 2;
/// Memory cost of the load-test profile: deliberately tiny so a load tool measures the
/// portal rather than Argon2. Never use it for real accounts.
pub const LOAD_TEST_M_COST_KIB: u32 = 64;
/// Passes of the load-test profile.
pub const LOAD_TEST_T_COST: u32 = 1;

/// Largest memory cost of a stored hash the portal will check, in KiB: RFC 9106 §4's second
/// recommended option (64 MiB) leaves room for a stronger future profile; a stored hash asking
/// for more is treated as damaged rather than allowed to allocate without bound.
pub const MAX_M_COST_KIB: u32 = 64 * 1024;

/// Concurrent hashes per CPU core. Argon2id with one lane keeps one core busy, so two per
/// core keep every core working while one hash waits to be scheduled, and bound the hashing
/// memory to `2 × cores × 19 MiB` (OWASP's Denial of Service Cheat Sheet: bound expensive
/// work per request).
pub const HASHES_PER_CORE: usize = 2;

/// Requests that may wait for a free slot, per slot, before the pool answers "busy". Waiting
/// costs no hashing memory; eight hashes of about 50 ms each keep the wait under half a
/// second, so a short burst of real logins is served rather than refused.
pub const QUEUED_PER_SLOT: usize = 8;

/// Seconds a client is asked to wait (`Retry-After`) when the pool is full: a slot frees
/// within one hash, well under a second, and `Retry-After` counts whole seconds.
pub const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// Which Argon2id cost the portal uses for new hashes. Existing hashes carry their own
/// parameters, so switching the profile never locks anyone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PasswordProfile {
    /// OWASP-recommended cost, for every real deployment.
    #[default]
    Standard,
    /// Minimal cost for load tests and test suites only.
    LoadTest,
}

/// Errors of the password hasher.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Argon2 refused the input or the PHC string could not be built.
    #[error("password hashing failed")]
    Hash(#[source] argon2::password_hash::Error),
    /// Argon2 refused the cost parameters or the memory.
    #[error("invalid Argon2 parameters")]
    Params(#[source] argon2::Error),
    /// The blocking task that ran Argon2 was cancelled.
    #[error("password hashing task failed")]
    Task(#[from] tokio::task::JoinError),
    /// Every hashing slot and every queue place is taken; retry after
    /// [`BUSY_RETRY_AFTER_SECS`].
    #[error("all password hashing slots are busy")]
    Busy,
    /// The pool was already set up (by an earlier [`HashPool::install`]).
    #[error("the password hashing pool is already set up")]
    AlreadyInstalled,
}

/// A password typed by a user, wiped on drop and never logged.
pub type Password = Zeroizing<String>;

fn profile_params(profile: PasswordProfile) -> Result<Params, PasswordError> {
    let (m, t) = match profile {
        PasswordProfile::Standard => (STANDARD_M_COST_KIB, STANDARD_T_COST),
        PasswordProfile::LoadTest => (LOAD_TEST_M_COST_KIB, LOAD_TEST_T_COST),
    };
    Params::new(m, t, 1, None).map_err(PasswordError::Params)
}

/// The number of hashing slots for this machine: [`HASHES_PER_CORE`] per core.
pub fn default_slots() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get) * HASHES_PER_CORE
}

/// A bounded set of Argon2 workers; cheap to clone (all clones share the slots).
#[derive(Debug, Clone)]
pub struct HashPool {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    slots: usize,
    /// Slots plus queue places: a request that finds none is refused at once.
    admission: Arc<Semaphore>,
    /// Hashes running now.
    running: Arc<Semaphore>,
    /// Block buffers of the slots not running now, reused by the next hash.
    memory: Mutex<Vec<Vec<Block>>>,
}

/// The process-wide pool: memory and cores belong to the process, not to one portal state.
static POOL: OnceLock<HashPool> = OnceLock::new();

impl HashPool {
    /// A pool running at most `slots` hashes at once (at least one), with
    /// [`QUEUED_PER_SLOT`] waiting places per slot.
    pub fn new(slots: usize) -> Self {
        let slots = slots.max(1);
        Self {
            inner: Arc::new(Inner {
                slots,
                admission: Arc::new(Semaphore::new(slots * (1 + QUEUED_PER_SLOT))),
                running: Arc::new(Semaphore::new(slots)),
                memory: Mutex::new(Vec::with_capacity(slots)),
            }),
        }
    }

    /// Sets the process-wide pool to `slots` slots; call it before the first hash (the
    /// command line does, for `--max-concurrent-hashes`).
    pub fn install(slots: usize) -> Result<(), PasswordError> {
        POOL.set(Self::new(slots))
            .map_err(|_| PasswordError::AlreadyInstalled)
    }

    /// The process-wide pool ([`default_slots`] unless [`HashPool::install`] set it).
    pub fn global() -> &'static Self {
        POOL.get_or_init(|| Self::new(default_slots()))
    }

    /// How many hashes may run at once.
    pub fn slots(&self) -> usize {
        self.inner.slots
    }

    /// Runs `job` with a slot's block buffer on a blocking thread, or refuses at once with
    /// [`PasswordError::Busy`] when every slot and queue place is taken.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vec<Block>) -> Result<T, PasswordError> + Send + 'static,
    ) -> Result<T, PasswordError> {
        let admitted = Arc::clone(&self.inner.admission)
            .try_acquire_owned()
            .map_err(|_| PasswordError::Busy)?;
        let running = Arc::clone(&self.inner.running)
            .acquire_owned()
            .await
            .map_err(|_| PasswordError::Busy)?;
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut memory = inner.take_memory();
            let result = job(&mut memory);
            memory.iter_mut().for_each(|block| block.zeroize());
            inner.give_back(memory);
            drop((running, admitted));
            result
        })
        .await?
    }

    /// Hashes `password` into a PHC string (`$argon2id$...`) with a random salt.
    pub async fn hash(
        &self,
        profile: PasswordProfile,
        password: Password,
    ) -> Result<String, PasswordError> {
        let params = profile_params(profile)?;
        self.run(move |memory| {
            let salt = Salt::new(&random_bytes(Salt::RECOMMENDED_LENGTH))
                .map_err(|e| PasswordError::Hash(e.into()))?;
            let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
            let mut out = Zeroizing::new([0u8; Params::DEFAULT_OUTPUT_LEN]);
            fill(&argon, &password, &salt, out.as_mut_slice(), memory)?;
            let phc = PasswordHash {
                algorithm: Algorithm::Argon2id.ident(),
                version: Some(Version::V0x13.into()),
                params: ParamsString::try_from(&params).map_err(PasswordError::Hash)?,
                salt: Some(salt),
                hash: Some(Output::new(out.as_slice()).map_err(|e| PasswordError::Hash(e.into()))?),
            };
            Ok(phc.to_string())
        })
        .await
    }

    /// Checks `password` against a stored PHC string; `false` for a wrong password or a
    /// damaged hash (a damaged hash is logged, without the password).
    pub async fn verify(&self, password: Password, stored: String) -> Result<bool, PasswordError> {
        self.run(move |memory| match check(&password, &stored, memory) {
            Ok(right) => Ok(right),
            Err(e) => {
                tracing::warn!(error = %e, "stored password hash could not be checked");
                Ok(false)
            }
        })
        .await
    }
}

impl Inner {
    fn take_memory(&self) -> Vec<Block> {
        self.memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default()
    }

    fn give_back(&self, memory: Vec<Block>) {
        self.memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(memory);
    }
}

/// Why a stored hash could not be checked.
#[derive(Debug, thiserror::Error)]
enum CheckError {
    /// The PHC string is malformed.
    #[error("malformed PHC string")]
    Phc(#[from] argon2::password_hash::phc::Error),
    /// Its algorithm or parameters are not Argon2's.
    #[error("unusable algorithm or parameters")]
    Params(#[from] argon2::password_hash::Error),
    /// Argon2 refused the parameters.
    #[error("Argon2 refused the parameters")]
    Argon(#[from] argon2::Error),
    /// The hash asks for more memory than [`MAX_M_COST_KIB`].
    #[error("memory cost above the allowed maximum")]
    TooCostly,
    /// The string lacks its salt or its hash.
    #[error("salt or hash missing")]
    Incomplete,
}

/// Recomputes the stored hash's output for `password` in `memory` and compares in constant
/// time (`Output`'s equality is constant-time).
fn check(password: &str, stored: &str, memory: &mut Vec<Block>) -> Result<bool, CheckError> {
    let phc = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (&phc.salt, &phc.hash) else {
        return Err(CheckError::Incomplete);
    };
    let params = Params::try_from(&phc)?;
    if params.m_cost() > MAX_M_COST_KIB {
        return Err(CheckError::TooCostly);
    }
    let algorithm = Algorithm::try_from(phc.algorithm.as_str())?;
    let version = phc
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = Zeroizing::new(vec![0u8; expected.len()]);
    ensure_blocks(memory, argon.params().block_count());
    argon.hash_password_into_with_memory(
        password.as_bytes(),
        salt,
        &mut out,
        &mut memory[..argon.params().block_count()],
    )?;
    Ok(Output::new(&out)? == *expected)
}

/// Computes the Argon2 output of `password` into `out`, in `memory`.
fn fill(
    argon: &Argon2<'_>,
    password: &str,
    salt: &Salt,
    out: &mut [u8],
    memory: &mut Vec<Block>,
) -> Result<(), PasswordError> {
    let blocks = argon.params().block_count();
    ensure_blocks(memory, blocks);
    argon
        .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..blocks])
        .map_err(PasswordError::Params)
}

/// Grows a slot's buffer to `blocks` blocks; it never shrinks, so after the first hash of a
/// profile the slot allocates nothing more.
fn ensure_blocks(memory: &mut Vec<Block>, blocks: usize) {
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
}

/// Hashes `password` on the process-wide [`HashPool`].
pub async fn hash(profile: PasswordProfile, password: Password) -> Result<String, PasswordError> {
    HashPool::global().hash(profile, password).await
}

/// Checks `password` against `stored` on the process-wide [`HashPool`].
pub async fn verify(password: Password, stored: String) -> Result<bool, PasswordError> {
    HashPool::global().verify(password, stored).await
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordVerifier as _;

    use super::*;

    fn pw(text: &str) -> Password {
        Zeroizing::new(text.into())
    }

    #[tokio::test]
    async fn right_password_verifies_wrong_one_does_not() {
        let stored = hash(PasswordProfile::LoadTest, pw("Sommer2026!"))
            .await
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(pw("Sommer2026!"), stored.clone()).await.unwrap());
        assert!(!verify(pw("Sommer2026?"), stored).await.unwrap());
    }

    #[tokio::test]
    async fn standard_profile_uses_owasp_cost() {
        let stored = hash(PasswordProfile::Standard, pw("x")).await.unwrap();
        assert!(stored.contains("m=19456,t=2,p=1"), "{stored}");
    }

    #[tokio::test]
    async fn damaged_hash_is_a_failed_check() {
        assert!(!verify(pw("x"), "$argon2id$garbage".into()).await.unwrap());
    }

    /// The pool's own hashing and checking agree with the argon2 crate's, both ways, so
    /// hashes stored before the pool existed still verify.
    #[tokio::test]
    async fn pool_hashes_are_standard_phc_strings() {
        let pool = HashPool::new(1);
        let stored = pool
            .hash(PasswordProfile::LoadTest, pw("Kennwort"))
            .await
            .unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"Kennwort", stored.as_str())
                .is_ok()
        );
        let theirs = "$argon2id$v=19$m=19456,t=2,p=1$48W/eSHfO2l0zaCKb3Z9AA$\
                      +TpusfJBAv3h7mc/k2Ng3a1AKueEOu00snW2mdQysVs";
        assert!(!pool.verify(pw("not it"), theirs.into()).await.unwrap());
        let other = pool
            .hash(PasswordProfile::LoadTest, pw("Kennwort"))
            .await
            .unwrap();
        assert_ne!(stored, other, "a fresh salt per hash");
        assert!(pool.verify(pw("Kennwort"), other).await.unwrap());
    }

    /// A stored hash demanding gigabytes is refused without allocating them.
    #[tokio::test]
    async fn a_hash_above_the_memory_maximum_is_not_computed() {
        let costly = "$argon2id$v=19$m=4194304,t=1,p=1$48W/eSHfO2l0zaCKb3Z9AA$\
                      +TpusfJBAv3h7mc/k2Ng3a1AKueEOu00snW2mdQysVs";
        assert!(
            !HashPool::new(1)
                .verify(pw("x"), costly.into())
                .await
                .unwrap()
        );
    }

    /// Regression (issue 9, finding 2): hashes beyond the slots and the queue are refused at
    /// once instead of each allocating its own 19 MiB.
    #[tokio::test]
    async fn a_full_pool_refuses_at_once() {
        let pool = HashPool::new(1);
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let blocker = tokio::spawn({
            let pool = pool.clone();
            async move {
                pool.run(move |_| {
                    let _ = hold.recv();
                    Ok(())
                })
                .await
            }
        });
        let queued: Vec<_> = (0..QUEUED_PER_SLOT)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.verify(pw("x"), "$argon2id$bad".into()).await })
            })
            .collect();
        while pool.inner.admission.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            pool.verify(pw("x"), "$argon2id$bad".into()).await,
            Err(PasswordError::Busy)
        ));
        release.send(()).unwrap();
        blocker.await.unwrap().unwrap();
        for waiting in queued {
            assert!(!waiting.await.unwrap().unwrap(), "queued checks still run");
        }
        let stored = pool.hash(PasswordProfile::LoadTest, pw("y")).await.unwrap();
        assert!(pool.verify(pw("y"), stored).await.unwrap(), "free again");
    }

    /// The block buffers are reused: after many hashes the pool holds one buffer per slot,
    /// wiped.
    #[tokio::test]
    async fn buffers_are_reused_and_wiped() {
        let pool = HashPool::new(2);
        for _ in 0..6 {
            pool.hash(PasswordProfile::LoadTest, pw("z")).await.unwrap();
        }
        let memory = pool.inner.memory.lock().unwrap();
        assert!(memory.len() <= 2, "{} buffers", memory.len());
        let blocks = profile_params(PasswordProfile::LoadTest)
            .unwrap()
            .block_count();
        for buffer in memory.iter() {
            assert_eq!(buffer.len(), blocks);
            assert!(buffer.iter().all(|b| b.as_ref().iter().all(|w| *w == 0)));
        }
    }
}
