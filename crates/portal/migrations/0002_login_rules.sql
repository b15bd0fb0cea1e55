-- Zweifaktor portal schema, version 2: the facts the login's rules need (issue 9).
-- Same shared SQL as version 1 (BIGINT 0/1 flags, BIGINT unix seconds).

-- The account has had its second factor set up (a device registered, or the first
-- enrollment's code entered) at least once. From then on a seed is shown only to a session
-- that has passed the second factor, never after the password alone.
ALTER TABLE users ADD COLUMN ever_enrolled BIGINT NOT NULL DEFAULT 0;

-- The next passed second factor shows a new set of recovery codes (new accounts, and after
-- an operator's 2FA reset).
ALTER TABLE users ADD COLUMN recovery_codes_due BIGINT NOT NULL DEFAULT 0;

-- Consecutive wrong passwords and the time of the last one: the back-off that expires.
-- `failures` (version 1) now counts failed second factors only, the lock's counter.
ALTER TABLE users ADD COLUMN password_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_failed_at BIGINT NOT NULL DEFAULT 0;

UPDATE users SET ever_enrolled = 1
WHERE must_enroll = 0
   OR id IN (SELECT user_id FROM devices)
   OR id IN (SELECT user_id FROM recovery_codes);

UPDATE users SET recovery_codes_due = 1
WHERE must_enroll = 1 AND id NOT IN (SELECT user_id FROM recovery_codes);
