-- One address lookup as the API performs it (GET /api/v1/persons/{iin}/registrations
-- with an agency token): the person, their registrations and the premises of
-- each in one statement (store.reader.Addresses). The token is not looked up:
-- serve remembers a valid token for TIRKEU_TOKEN_CACHE (10 s). The access-log
-- record is not replayed either: the server writes those in batches.
-- Persons are drawn from bench_persons.
\set n random(1, :npersons)
SELECT iin AS a FROM bench_persons WHERE n = :n \gset
SELECT p.iin, p.last_name, p.first_name, p.patronymic, p.birth_date, p.citizenship, p.capacity, p.deceased, p.phone, p.consular_abroad, COALESCE(g.id, ''), COALESCE(g.iin, ''), COALESCE(g.rka, ''), COALESCE(g.kind, ''), g.since, g.until, COALESCE(g.status, ''), g.ended_on, COALESCE(g.end_reason, ''), COALESCE(g.application_id, ''), COALESCE(g.imported, false), COALESCE(m.rka, ''), COALESCE(m.region, ''), COALESCE(m.district, ''), COALESCE(m.locality, ''), COALESCE(m.street, ''), COALESCE(m.building, ''), COALESCE(m.unit, ''), COALESCE(m.kind, ''), COALESCE(m.state_rental, false), COALESCE(m.area_m2, 0) FROM persons p LEFT JOIN registrations g ON g.iin = p.iin LEFT JOIN premises m ON m.rka = g.rka WHERE p.iin = :a ORDER BY CASE g.status WHEN 'active' THEN 0 ELSE 1 END, g.since DESC, g.id;
