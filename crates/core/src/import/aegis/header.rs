//! The header of an encrypted Aegis vault: password slots and the contents' parameters.
//!
//! Following vault.md ("Header", "Slots", "Password"): each slot holds the master key sealed
//! with AES-256-GCM (`key`, `key_params.nonce`, `key_params.tag`, all hex); a password slot
//! (type 1) seals it under scrypt(password, `salt`, `n`, `r`, `p`). `header.params` holds the
//! nonce and tag under which the master key seals `db`. Raw (0) and biometric (2) slots need a
//! key that only the phone holds, so they are skipped.

use super::super::cipher::{AesKey, KEY_LEN, NONCE_LEN, TAG_LEN};
use super::super::decode::hex_array;
use super::super::json::{Obj, malformed};
use super::super::{Format, ImportError, ImportPassword};
use super::kdf::{SALT_LEN, ScryptCost};

/// Slot type of a password slot (vault.md, "Slots").
pub(crate) const PASSWORD_SLOT: u64 = 1;

/// Most password slots tried: Aegis writes at most two, the vault's password and a separate
/// backup password (`is_backup`). A file with more would multiply the scrypt work.
pub(crate) const MAX_PASSWORD_SLOTS: usize = 2;

const FORMAT: Format = Format::Aegis;

/// AES-GCM parameters: a nonce and a detached tag.
pub(crate) struct SealParams {
    /// The 96-bit nonce.
    pub(crate) nonce: [u8; NONCE_LEN],
    /// The 128-bit tag.
    pub(crate) tag: [u8; TAG_LEN],
}

impl SealParams {
    /// Reads `{"nonce": hex, "tag": hex}`.
    pub(crate) fn read(obj: &Obj<'_>, path: &str) -> Result<Self, ImportError> {
        Ok(Self {
            nonce: hex_array(FORMAT, &format!("{path}.nonce"), obj.str("nonce")?)?,
            tag: hex_array(FORMAT, &format!("{path}.tag"), obj.str("tag")?)?,
        })
    }
}

/// One password slot, checked but not yet opened.
struct PasswordSlot {
    cost: ScryptCost,
    salt: [u8; SALT_LEN],
    wrapped: [u8; KEY_LEN],
    params: SealParams,
}

/// Reads the password slots and checks every one's scrypt cost before any is derived.
fn password_slots(header: &Obj<'_>) -> Result<Vec<PasswordSlot>, ImportError> {
    let mut slots = Vec::new();
    for (i, slot) in header.objects("slots")?.iter().enumerate() {
        if slot.u64("type")? != PASSWORD_SLOT {
            continue;
        }
        if slots.len() == MAX_PASSWORD_SLOTS {
            return Err(ImportError::KdfTooCostly {
                format: FORMAT,
                what: format!("more than {MAX_PASSWORD_SLOTS} password slots"),
            });
        }
        let path = format!("header.slots[{i}]");
        let cost = ScryptCost::from_file(slot.u64("n")?, slot.u64("r")?, slot.u64("p")?)?;
        slots.push(PasswordSlot {
            cost,
            salt: hex_array(FORMAT, &format!("{path}.salt"), slot.str("salt")?)?,
            wrapped: hex_array(FORMAT, &format!("{path}.key"), slot.str("key")?)?,
            params: SealParams::read(&slot.obj("key_params")?, &format!("{path}.key_params"))?,
        });
    }
    if slots.is_empty() {
        return Err(malformed(FORMAT, "header.slots holds no password slot"));
    }
    Ok(slots)
}

/// The master key, from the first password slot the password opens.
///
/// All slots' parameters are read and checked before scrypt runs once.
///
/// # Errors
/// [`ImportError::KdfTooCostly`], [`ImportError::Malformed`] for a damaged header, and
/// [`ImportError::WrongPassword`] when no slot opens.
pub(crate) fn master_key(
    header: &Obj<'_>,
    password: &ImportPassword,
) -> Result<AesKey, ImportError> {
    for slot in password_slots(header)? {
        let kek = slot
            .cost
            .derive(password.as_bytes(), &slot.salt)
            .ok_or_else(|| malformed(FORMAT, "scrypt parameters out of range"))?;
        if let Some(key) = kek.open_detached(&slot.params.nonce, &slot.wrapped, &slot.params.tag) {
            if key.len() != KEY_LEN {
                return Err(malformed(FORMAT, "a slot's key is not 256 bits"));
            }
            let mut master = AesKey::zeroed();
            master.bytes_mut().copy_from_slice(&key);
            return Ok(master);
        }
    }
    Err(ImportError::WrongPassword { format: FORMAT })
}
