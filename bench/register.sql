-- One registration as the API performs it: an EDS-signed temporary
-- registration of a sole owner in their own flat (the submit scenario of
-- tirkeu bench), in the API's two round trips (two pgbench pipelines: the
-- BEGIN and the facts read under the subject's lock with the signature
-- recorded; then the writes and the COMMIT). The statements, in order, were
-- captured from one submission on PostgreSQL (the pgx tracer of
-- internal/store's TestSubmitRoundTrips, fifth session in
-- docs/PERFORMANCE.md); parameters become pgbench variables and the texts
-- are the captured ones. The candidate pair comes from bench_pairs (made by
-- bench/run.sh), one per transaction, round-robin. The UPDATE ending a
-- previous temporary registration lets pairs be reused: the API runs it
-- when the person already has one (and then judges its row count before
-- it sends COMMIT, a third round trip the replay does not make).
-- Needs -M extended or prepared (pipelines).
SELECT p.iin AS a, p.rka AS r FROM bench_pairs p WHERE p.n = (SELECT nextval('bench_seq') % :npairs + 1) \gset
\set uid random(1, 9000000000000000000)
\startpipeline
BEGIN;
SELECT iin, last_name, first_name, patronymic, birth_date, citizenship, capacity, deceased, phone, consular_abroad FROM persons WHERE iin = :a FOR UPDATE;
INSERT INTO used_signatures (digest, purpose, signer_iin, used_at) VALUES (sha256(('pgb-sig-' || :uid)::bytea), 'application', :a, now()) ON CONFLICT (digest) DO NOTHING RETURNING 1;
SELECT kind, from_iin, to_iin FROM relations WHERE from_iin = :a UNION SELECT kind, from_iin, to_iin FROM relations WHERE to_iin = :a ORDER BY 1, 2, 3;
SELECT rka, region, district, locality, street, building, unit, kind, state_rental, area_m2 FROM premises WHERE rka = :r;
SELECT rka, COALESCE(owner_iin, ''), COALESCE(owner_bin, ''), share FROM ( SELECT rka, owner_iin, owner_bin, share FROM ownerships WHERE rka = :r AND owner_iin IS NOT NULL UNION ALL SELECT rka, owner_iin, owner_bin, share FROM ownerships WHERE rka = :r AND owner_bin IS NOT NULL) o ORDER BY owner_iin, owner_bin;
SELECT iin, last_name, first_name, patronymic, birth_date, citizenship, capacity, deceased, phone, consular_abroad FROM persons WHERE iin IN (SELECT owner_iin FROM ownerships WHERE rka = :r AND owner_iin IS NOT NULL) ORDER BY iin;
SELECT o.bin, o.name, COALESCE(rep.iin, '') FROM organisations o LEFT JOIN organisation_representatives rep ON rep.bin = o.bin WHERE o.bin IN (SELECT owner_bin FROM ownerships WHERE rka = :r AND owner_bin IS NOT NULL) ORDER BY o.bin, rep.iin;
SELECT id, iin, rka, kind, since, until, status, ended_on, COALESCE(end_reason, ''), COALESCE(application_id, ''), imported FROM registrations WHERE iin = :a ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, since DESC, id;
SELECT o.bin, o.name, COALESCE(rep.iin, '') FROM organisations o LEFT JOIN organisation_representatives rep ON rep.bin = o.bin WHERE o.bin IN (SELECT bin FROM organisation_representatives WHERE iin = :a) ORDER BY o.bin, rep.iin;
\endpipeline
\startpipeline
UPDATE registrations SET status = 'ended', ended_on = current_date, end_reason = 'replaced' WHERE iin = :a AND kind = 'temporary' AND status = 'active';
INSERT INTO applications (id, action, kind, applicant_iin, subject_iin, rka, reason, stay_from, stay_until, arrived_on, channel, signature, signer_iin, operator_id, status, decision, registration_id, idempotency_key, created_at, decided_at, updated_at, idempotency_hash, otp_id) VALUES ('pgb-app-' || :uid, 'register', 'temporary', :a, :a, :r, '', current_date, current_date + 90, NULL, 'api', 'eds', :a, '', 'registered', '{"status":"registered","message":{"kk":"Уақытша тұратын жері бойынша тіркеу жасалды.","ru":"Регистрация по месту временного пребывания оформлена.","en":"The temporary registration is done."},"next":{"kk":"Жеке куәліктің чипіндегі мекенжай автоматты түрде жаңартылады. Тіркеу туралы анықтаманы жеке кабинеттен алуға болады.","ru":"Адрес в чипе удостоверения личности будет перезаписан автоматически. Справку о регистрации можно получить в личном кабинете.","en":"The address on your ID card chip is rewritten automatically. You can get a registration certificate in your personal account."}}', 'pgb-reg-' || :uid, NULL, now(), now(), now(), NULL, NULL);
INSERT INTO events (type, at, person_iin, actor_iin, actor_role, rka, application_id, registration_id, message, data) VALUES ('application.decided', now(), :a, '', '', :r, 'pgb-app-' || :uid, '', '{"kk":"Барлық тексеру сәтті өтті: адам көрсетілген мекенжай бойынша болу мерзіміне уақытша тіркелді.","ru":"Все проверки пройдены: человек временно зарегистрирован по указанному адресу на срок пребывания.","en":"All checks passed: the person is now temporarily registered at the address for the period of the stay."}', '{"action":"register","kind":"temporary","rule":"","status":"registered"}');
INSERT INTO registrations (id, iin, rka, kind, since, until, status, ended_on, end_reason, application_id, imported) VALUES ('pgb-reg-' || :uid, :a, :r, 'temporary', current_date, current_date + 90, 'active', NULL, NULL, 'pgb-app-' || :uid, false);
INSERT INTO events (type, at, person_iin, actor_iin, actor_role, rka, application_id, registration_id, message, data) VALUES ('registration.created', now(), :a, '', '', :r, 'pgb-app-' || :uid, 'pgb-reg-' || :uid, '{"kk":"Уақытша тұратын жері бойынша тіркеу жасалды.","ru":"Регистрация по месту временного пребывания оформлена.","en":"The temporary registration is done."}', '{"kind":"temporary","since":"2026-03-02","until":"2026-06-02"}');
COMMIT;
\endpipeline
