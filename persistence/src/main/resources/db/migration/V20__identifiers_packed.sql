-- A person's identifiers in jobs, in the acknowledged set and among the refused are stored
-- packed (bytea): each SHA-256 hash as its 32 bytes, each fixed piece of JSON around the hashes
-- as one byte (StoredIdentifiers in the code). Google's email and phone took 169 bytes as text
-- and take 69 packed; every person of every job and every acknowledged person carries them.
-- Identifiers stored before are kept as their UTF-8 text, which reads as the same identifiers;
-- they are packed when a job or an acknowledgement writes them again.
ALTER TABLE sync_job_item ALTER COLUMN identifiers TYPE bytea USING convert_to(identifiers, 'UTF8');
ALTER TABLE activation_member ALTER COLUMN identifiers TYPE bytea USING convert_to(identifiers, 'UTF8');
ALTER TABLE activation_rejected ALTER COLUMN identifiers TYPE bytea USING convert_to(identifiers, 'UTF8');
