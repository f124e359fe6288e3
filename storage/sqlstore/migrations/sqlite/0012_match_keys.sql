-- Duplicate detection follows match keys (customer.MatchKeys) that the
-- domain computes from the name, birth date, addresses and phones: the
-- migration's step in Go adds them to the search keys of every customer
-- stored before it. Later writes store them with the other keys.
SELECT 1;
