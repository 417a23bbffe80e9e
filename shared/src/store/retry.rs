//! Commands as read → decide → conditional write, and what to do when the write is refused,
//! by cause:
//!
//! | the commit was refused because | what happens | bound |
//! |---|---|---|
//! | a condition failed: the state moved since the read (`Stale`) | read and decide again at once (a pause of a few ms, jittered, so racers spread out) | `MAX_STALE_ROUNDS` |
//! | DynamoDB cancelled it for a conflicting transaction or throttling (`Contended`) | back off exponentially with full jitter, then read and decide again | `MAX_CONTENDED_ROUNDS` |
//! | throttling, 5xx, timeouts of the call itself | retried inside the SDK (`client`), then `UNAVAILABLE` | the SDK's attempts |
//! | an earlier attempt under the same `ClientRequestToken` is still in progress | the same transaction sent again under that token (`Store::commit_with_token`), never decided again: the first may still commit | 4 resends within 1.5 s |
//!
//! A taken unique item that the command does not answer itself (a drawn id that collided) is
//! decided again like a stale state. A command that exhausts its rounds, or its
//! `MAX_COMMAND_TIME`, answers `UNAVAILABLE` (503, code 14): nothing was written, and the
//! client may try again. Each DynamoDB call is bounded too (`client`), and all of a request's
//! calls by `REQUEST_BUDGET` (`Store::for_request`), which ends before the Lambda timeout.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use rand::Rng;

use super::write::Refused;
use crate::error::Error;

/// Losing to another writer of the same aggregate: 20 concurrent writers resolve in at most 20
/// rounds, each a read and a write.
pub const MAX_STALE_ROUNDS: u32 = 40;
/// Cancelled for contention or throttling: pauses of at most 10, 20, 40 and 80 ms (jittered)
/// between five rounds.
pub const MAX_CONTENDED_ROUNDS: u32 = 5;
pub(crate) const CONTENDED_BASE_MS: u64 = 10;
/// No new round starts after this long.
pub const MAX_COMMAND_TIME: Duration = Duration::from_secs(4);

/// What one read → decide → write round ended with.
#[derive(Debug)]
pub enum Outcome<T> {
    Done(T),
    /// The write was refused: decide again (how soon depends on why).
    Again(Refused),
}

/// A commit's answer as an attempt's outcome: `value` when it landed.
impl<T> From<Result<T, Refused>> for Outcome<T> {
    fn from(result: Result<T, Refused>) -> Self {
        match result {
            Ok(value) => Outcome::Done(value),
            Err(refused) => Outcome::Again(refused),
        }
    }
}

/// One round of `until_done`: a boxed `Send` future, which keeps the callers' futures `Send`
/// for the Lambda runtime and the local server (rustc cannot prove it through a generic
/// closure's future).
pub type Attempt<'a, T> = Pin<Box<dyn Future<Output = Result<Outcome<T>, Error>> + Send + 'a>>;

/// Runs `attempt` until it is done, fails, or runs out of rounds (see the module's table).
pub async fn until_done<'a, T, F>(mut attempt: F) -> Result<T, Error>
where
    F: FnMut() -> Attempt<'a, T>,
{
    let (mut stale, mut contended) = (0u32, 0u32);
    let started = Instant::now();
    loop {
        let pause_ms = match attempt().await? {
            Outcome::Done(value) => return Ok(value),
            Outcome::Again(Refused::Contended) => {
                contended += 1;
                if contended >= MAX_CONTENDED_ROUNDS {
                    return Err(Error::unavailable(
                        "transaction cancelled for contention or throttling, every round",
                    ));
                }
                rand::thread_rng().gen_range(1..=CONTENDED_BASE_MS << (contended - 1))
            }
            Outcome::Again(Refused::Stale | Refused::Taken(_)) => {
                stale += 1;
                if stale >= MAX_STALE_ROUNDS {
                    return Err(Error::unavailable(
                        "the state kept moving under the command",
                    ));
                }
                rand::thread_rng().gen_range(0..=2 + u64::from(stale.min(8)))
            }
        };
        if started.elapsed() >= MAX_COMMAND_TIME {
            return Err(Error::unavailable("the command ran out of time"));
        }
        tokio::time::sleep(Duration::from_millis(pause_ms)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn contention_backs_off_and_gives_up_with_unavailable() {
        let rounds = AtomicU32::new(0);
        let started = std::time::Instant::now();
        let result: Result<(), Error> = until_done(|| {
            rounds.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(Outcome::Again(Refused::Contended)) })
        })
        .await;
        assert_eq!(result.unwrap_err().code, crate::error::Code::Unavailable);
        assert_eq!(rounds.load(Ordering::SeqCst), MAX_CONTENDED_ROUNDS);
        // Not a tight loop: it waited between rounds, but stayed far inside a Lambda timeout.
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn a_stale_state_is_decided_again_until_done() {
        let rounds = AtomicU32::new(0);
        let result = until_done(|| {
            let round = rounds.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                Ok(match round {
                    0..=2 => Outcome::Again(Refused::Stale),
                    _ => Outcome::Done(round),
                })
            })
        })
        .await;
        assert_eq!(result.unwrap(), 3);
    }

    #[tokio::test]
    async fn a_state_that_never_settles_is_unavailable_not_an_endless_loop() {
        let rounds = AtomicU32::new(0);
        let result: Result<(), Error> = until_done(|| {
            rounds.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(Outcome::Again(Refused::Stale)) })
        })
        .await;
        assert_eq!(result.unwrap_err().code, crate::error::Code::Unavailable);
        assert_eq!(rounds.load(Ordering::SeqCst), MAX_STALE_ROUNDS);
    }
}
