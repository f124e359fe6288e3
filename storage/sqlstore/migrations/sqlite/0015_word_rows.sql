-- Each word row carries all of its customer's words of the field, as the
-- customers row holds them: a search walking one word's rows checks the
-- other words typed on the row it has just read, instead of looking each
-- candidate up in customers (a descent of two indexes and a wide row).
ALTER TABLE word_keys ADD COLUMN words TEXT NOT NULL DEFAULT '';
UPDATE word_keys SET words = (
    SELECT CASE word_keys.field WHEN 1 THEN c.name_words ELSE c.company_words END
    FROM customers c WHERE c.tenant = word_keys.tenant AND c.id = word_keys.customer_id);
