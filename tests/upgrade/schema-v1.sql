-- tests/upgrade/schema-v1.sql — a vc-scheduler database of schema version 1,
-- the oldest schema the migrations of scheduler/sched-db.c know. The DDL is
-- schema_v1 as in the first commit of scheduler/sched-db.c (9b4a77b), the
-- rows are example data (Nghệ An's units and some of its rooms; meetings of
-- 2019, 2023 and the first half of 2024 as the provincial report counts
-- them: 12, of which UBND tỉnh 07, Tỉnh ủy 03, Sở TT&TT 01, Sở Tài chính 01;
-- a future series, cancelled and displaced meetings, attendance, tokens,
-- audit log, join links). tests/upgrade/check-upgrade.sh upgrades it.
-- Tokens (only their SHA-256 is stored): admin 'fixture-admin-token-0000000000000000000000000'.
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TABLE units (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0);
CREATE TABLE endpoints (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('province','district','department','commune')),
  unit TEXT REFERENCES units(code),
  parent TEXT REFERENCES endpoints(code),
  deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  series_id INTEGER REFERENCES series(id),
  title TEXT NOT NULL,
  unit TEXT NOT NULL REFERENCES units(code),
  chair TEXT NOT NULL REFERENCES endpoints(code),
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'scheduled'
  
  CHECK (status IN ('scheduled','cancelled','displaced','ended')),
  version INTEGER NOT NULL DEFAULT 1,
  created_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  ended_at INTEGER,
  imported INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0,
  actual_seconds INTEGER NOT NULL DEFAULT 0,
  present_count INTEGER NOT NULL DEFAULT 0,
  invited_count INTEGER NOT NULL DEFAULT 0,
  CHECK (end_at > start_at));
CREATE INDEX meetings_by_start ON meetings(start_at, unit, status);
CREATE INDEX meetings_by_series ON meetings(series_id);
CREATE TABLE meeting_endpoints (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  endpoint TEXT NOT NULL REFERENCES endpoints(code),
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (meeting_id, endpoint)) WITHOUT ROWID;
CREATE INDEX meeting_endpoints_by_room ON meeting_endpoints(endpoint, start_at)
  WHERE active = 1;
CREATE TABLE attendance_events (
  id TEXT PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  endpoint TEXT NOT NULL REFERENCES endpoints(code),
  type TEXT NOT NULL CHECK (type IN ('joined','left')),
  at INTEGER NOT NULL,
  reason TEXT,
  received_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX attendance_by_meeting ON attendance_events(meeting_id, endpoint, at);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin','secretariat','manager','endpoint')),
  unit TEXT REFERENCES units(code),
  endpoint TEXT REFERENCES endpoints(code),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  meeting_id INTEGER,
  detail TEXT);
CREATE INDEX audit_by_meeting ON audit_log(meeting_id);
CREATE TABLE join_links (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL);
INSERT INTO units VALUES ('tinh-uy', 'Tỉnh ủy Nghệ An', 100);
INSERT INTO units VALUES ('ubnd-tinh', 'UBND tỉnh Nghệ An', 90);
INSERT INTO units VALUES ('so-tttt', 'Sở Thông tin và Truyền thông', 50);
INSERT INTO units VALUES ('so-tc', 'Sở Tài chính', 50);
INSERT INTO units VALUES ('ubnd-vinh', 'UBND thành phố Vinh', 10);
INSERT INTO endpoints VALUES ('tinh-uy', 'Tỉnh ủy', 'province', 'tinh-uy', NULL, 0);
INSERT INTO endpoints VALUES ('ubnd-tinh', 'UBND tỉnh', 'province', 'ubnd-tinh', NULL, 0);
INSERT INTO endpoints VALUES ('so-tttt', 'Sở TT&TT', 'department', 'so-tttt', 'ubnd-tinh', 0);
INSERT INTO endpoints VALUES ('ubnd-vinh', 'UBND TP Vinh', 'district', 'ubnd-vinh', 'ubnd-tinh', 0);
INSERT INTO endpoints VALUES ('ubnd-cua-lo', 'UBND TX Cửa Lò', 'district', NULL, 'ubnd-tinh', 0);
INSERT INTO endpoints VALUES ('ubnd-thai-hoa', 'UBND TX Thái Hòa', 'district', NULL, 'ubnd-tinh', 0);
INSERT INTO endpoints VALUES ('ubnd-do-luong', 'UBND huyện Đô Lương', 'district', NULL, 'ubnd-tinh', 0);
INSERT INTO endpoints VALUES ('ubnd-ky-son', 'UBND huyện Kỳ Sơn (xóa khỏi danh sách)', 'district', NULL, 'ubnd-tinh', 1);
INSERT INTO series VALUES (1, '{"freq":"weekly","interval":1,"count":4}', 1767578400);
INSERT INTO meetings VALUES (1, NULL, 'Họp trực tuyến số 01', 'ubnd-tinh', 'ubnd-tinh', 1547082000, 1547089200, 'ended', 1, 'token:1', 1546477200, 1546477200, 1547089200, 0, 1, 7080, 4, 4);
INSERT INTO meeting_endpoints VALUES (1, 'ubnd-tinh', 1547082000, 1547089200, 1);
INSERT INTO meeting_endpoints VALUES (1, 'so-tttt', 1547082000, 1547089200, 1);
INSERT INTO meeting_endpoints VALUES (1, 'ubnd-vinh', 1547082000, 1547089200, 1);
INSERT INTO meeting_endpoints VALUES (1, 'ubnd-ky-son', 1547082000, 1547089200, 1);
INSERT INTO attendance_events VALUES ('58f55013-7a36-577e-ac2a-930a92d30bcf', 1, 'ubnd-tinh', 'joined', 1547082060, NULL, 1547082061);
INSERT INTO attendance_events VALUES ('5932e320-319f-5e09-a85f-d39b39e1c545', 1, 'ubnd-tinh', 'left', 1547089140, 'ended', 1547089141);
INSERT INTO attendance_events VALUES ('c33968f8-4a61-5f6c-89f7-6a4ac1ec30bc', 1, 'so-tttt', 'joined', 1547082061, NULL, 1547082062);
INSERT INTO attendance_events VALUES ('c204ad38-1bb2-59bb-a8fe-087162c49fc5', 1, 'so-tttt', 'left', 1547089140, 'ended', 1547089141);
INSERT INTO attendance_events VALUES ('d9f4824a-2a34-5a30-8855-6a9afa283065', 1, 'ubnd-vinh', 'joined', 1547082062, NULL, 1547082063);
INSERT INTO attendance_events VALUES ('3b9025d9-c025-5fa5-80a7-37b35b50540b', 1, 'ubnd-vinh', 'left', 1547089140, 'ended', 1547089141);
INSERT INTO attendance_events VALUES ('70d58ff2-811c-5c12-91b9-282bdae2b553', 1, 'ubnd-ky-son', 'joined', 1547082063, NULL, 1547082064);
INSERT INTO attendance_events VALUES ('1d68b780-e580-50a0-8b42-0e23a0cd4b90', 1, 'ubnd-ky-son', 'left', 1547089140, 'ended', 1547089141);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1546477200, 'token:1', 'create', 1, '{"title":"Họp trực tuyến số 01"}');
INSERT INTO meetings VALUES (2, NULL, 'Họp trực tuyến số 02', 'tinh-uy', 'tinh-uy', 1549846800, 1549854000, 'ended', 1, 'token:1', 1549242000, 1549242000, 1549854000, 0, 1, 7080, 5, 5);
INSERT INTO meeting_endpoints VALUES (2, 'tinh-uy', 1549846800, 1549854000, 1);
INSERT INTO meeting_endpoints VALUES (2, 'ubnd-tinh', 1549846800, 1549854000, 1);
INSERT INTO meeting_endpoints VALUES (2, 'ubnd-vinh', 1549846800, 1549854000, 1);
INSERT INTO meeting_endpoints VALUES (2, 'ubnd-cua-lo', 1549846800, 1549854000, 1);
INSERT INTO meeting_endpoints VALUES (2, 'ubnd-thai-hoa', 1549846800, 1549854000, 1);
INSERT INTO attendance_events VALUES ('1f1f2824-ed9b-571d-ad58-3f5b97e22ab6', 2, 'tinh-uy', 'joined', 1549846860, NULL, 1549846861);
INSERT INTO attendance_events VALUES ('ec1c5033-05a9-58b3-9f09-f69288174775', 2, 'tinh-uy', 'left', 1549853940, 'ended', 1549853941);
INSERT INTO attendance_events VALUES ('937be3b2-92e8-5881-8045-f452421b9512', 2, 'ubnd-tinh', 'joined', 1549846861, NULL, 1549846862);
INSERT INTO attendance_events VALUES ('b099b1c1-c24d-526f-ab54-6a97639a9523', 2, 'ubnd-tinh', 'left', 1549853940, 'ended', 1549853941);
INSERT INTO attendance_events VALUES ('e3b11add-a038-543d-9e42-3886a67ada05', 2, 'ubnd-vinh', 'joined', 1549846862, NULL, 1549846863);
INSERT INTO attendance_events VALUES ('76c383b3-ffee-50e3-b5a3-db5b4854d8b0', 2, 'ubnd-vinh', 'left', 1549853940, 'ended', 1549853941);
INSERT INTO attendance_events VALUES ('410db3b3-0291-537f-8e48-5fcc40fdb548', 2, 'ubnd-cua-lo', 'joined', 1549846863, NULL, 1549846864);
INSERT INTO attendance_events VALUES ('6c5216b1-3dca-539d-9bbb-548b0814f1b5', 2, 'ubnd-cua-lo', 'left', 1549853940, 'ended', 1549853941);
INSERT INTO attendance_events VALUES ('da71f272-8a1d-5794-b19d-be6f79158ca0', 2, 'ubnd-thai-hoa', 'joined', 1549846864, NULL, 1549846865);
INSERT INTO attendance_events VALUES ('9184e0fd-5b1e-5751-9162-7e95a552b80f', 2, 'ubnd-thai-hoa', 'left', 1549853940, 'ended', 1549853941);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1549242000, 'token:1', 'create', 2, '{"title":"Họp trực tuyến số 02"}');
INSERT INTO meetings VALUES (3, NULL, 'Họp trực tuyến số 03', 'so-tttt', 'so-tttt', 1552352400, 1552359600, 'ended', 1, 'token:1', 1551747600, 1551747600, 1552359600, 0, 1, 7080, 4, 4);
INSERT INTO meeting_endpoints VALUES (3, 'ubnd-tinh', 1552352400, 1552359600, 1);
INSERT INTO meeting_endpoints VALUES (3, 'so-tttt', 1552352400, 1552359600, 1);
INSERT INTO meeting_endpoints VALUES (3, 'ubnd-vinh', 1552352400, 1552359600, 1);
INSERT INTO meeting_endpoints VALUES (3, 'ubnd-ky-son', 1552352400, 1552359600, 1);
INSERT INTO attendance_events VALUES ('0da0ef59-3017-5980-b2d4-a3cf10bd1211', 3, 'ubnd-tinh', 'joined', 1552352460, NULL, 1552352461);
INSERT INTO attendance_events VALUES ('4ad71b16-3b7c-5097-85dc-2636f1f881f2', 3, 'ubnd-tinh', 'left', 1552359540, 'ended', 1552359541);
INSERT INTO attendance_events VALUES ('01b7a178-44b3-5e58-8ac2-f66304abce9b', 3, 'so-tttt', 'joined', 1552352461, NULL, 1552352462);
INSERT INTO attendance_events VALUES ('983586ec-2853-53a1-af46-aed183180e23', 3, 'so-tttt', 'left', 1552359540, 'ended', 1552359541);
INSERT INTO attendance_events VALUES ('6cac0af9-bf16-5dd2-8ee5-07764364bf81', 3, 'ubnd-vinh', 'joined', 1552352462, NULL, 1552352463);
INSERT INTO attendance_events VALUES ('b2315c93-1ac1-5465-9bc4-f799b4550092', 3, 'ubnd-vinh', 'left', 1552359540, 'ended', 1552359541);
INSERT INTO attendance_events VALUES ('c371d75e-16f8-5583-a1a9-bb53f23adb5a', 3, 'ubnd-ky-son', 'joined', 1552352463, NULL, 1552352464);
INSERT INTO attendance_events VALUES ('0f424a36-b7e4-5234-bc98-60d19083053f', 3, 'ubnd-ky-son', 'left', 1552359540, 'ended', 1552359541);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1551747600, 'token:1', 'create', 3, '{"title":"Họp trực tuyến số 03"}');
INSERT INTO meetings VALUES (4, NULL, 'Họp trực tuyến số 04', 'ubnd-tinh', 'ubnd-tinh', 1555117200, 1555124400, 'ended', 1, 'token:1', 1554512400, 1554512400, 1555124400, 0, 1, 7080, 4, 4);
INSERT INTO meeting_endpoints VALUES (4, 'ubnd-tinh', 1555117200, 1555124400, 1);
INSERT INTO meeting_endpoints VALUES (4, 'so-tttt', 1555117200, 1555124400, 1);
INSERT INTO meeting_endpoints VALUES (4, 'ubnd-vinh', 1555117200, 1555124400, 1);
INSERT INTO meeting_endpoints VALUES (4, 'ubnd-ky-son', 1555117200, 1555124400, 1);
INSERT INTO attendance_events VALUES ('5f5c20c2-2a00-5c70-86a3-c611ed37bb76', 4, 'ubnd-tinh', 'joined', 1555117260, NULL, 1555117261);
INSERT INTO attendance_events VALUES ('81c3d0d9-c6c7-56aa-981d-1d4e98eaa844', 4, 'ubnd-tinh', 'left', 1555124340, 'ended', 1555124341);
INSERT INTO attendance_events VALUES ('8575fa75-f283-5b3d-a12b-33be3a861928', 4, 'so-tttt', 'joined', 1555117261, NULL, 1555117262);
INSERT INTO attendance_events VALUES ('75f8f1f5-a677-5afc-924e-e3ed323659ed', 4, 'so-tttt', 'left', 1555124340, 'ended', 1555124341);
INSERT INTO attendance_events VALUES ('03d02621-d576-512d-9a77-1d8d27140df1', 4, 'ubnd-vinh', 'joined', 1555117262, NULL, 1555117263);
INSERT INTO attendance_events VALUES ('d189da51-623e-59fb-b3d7-3ab3b8675ffe', 4, 'ubnd-vinh', 'left', 1555124340, 'ended', 1555124341);
INSERT INTO attendance_events VALUES ('9bdd7eb0-2a03-5a44-ab77-d9561116f8b8', 4, 'ubnd-ky-son', 'joined', 1555117263, NULL, 1555117264);
INSERT INTO attendance_events VALUES ('1bd64576-71e4-5a2b-9c76-d630e7509fae', 4, 'ubnd-ky-son', 'left', 1555124340, 'ended', 1555124341);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1554512400, 'token:1', 'create', 4, '{"title":"Họp trực tuyến số 04"}');
INSERT INTO meetings VALUES (5, NULL, 'Họp trực tuyến số 05', 'tinh-uy', 'tinh-uy', 1557795600, 1557802800, 'ended', 1, 'token:1', 1557190800, 1557190800, 1557802800, 0, 1, 7080, 5, 5);
INSERT INTO meeting_endpoints VALUES (5, 'tinh-uy', 1557795600, 1557802800, 1);
INSERT INTO meeting_endpoints VALUES (5, 'ubnd-tinh', 1557795600, 1557802800, 1);
INSERT INTO meeting_endpoints VALUES (5, 'ubnd-vinh', 1557795600, 1557802800, 1);
INSERT INTO meeting_endpoints VALUES (5, 'ubnd-cua-lo', 1557795600, 1557802800, 1);
INSERT INTO meeting_endpoints VALUES (5, 'ubnd-thai-hoa', 1557795600, 1557802800, 1);
INSERT INTO attendance_events VALUES ('59e875d1-66e4-55bf-a68e-ccb038867e0e', 5, 'tinh-uy', 'joined', 1557795660, NULL, 1557795661);
INSERT INTO attendance_events VALUES ('2cf219a2-0baa-5e97-8e47-919f892a8a3c', 5, 'tinh-uy', 'left', 1557802740, 'ended', 1557802741);
INSERT INTO attendance_events VALUES ('96dd7045-0421-5af5-83ce-6faa761a69d2', 5, 'ubnd-tinh', 'joined', 1557795661, NULL, 1557795662);
INSERT INTO attendance_events VALUES ('90d705e6-e750-594f-98d5-bb845f335ceb', 5, 'ubnd-tinh', 'left', 1557802740, 'ended', 1557802741);
INSERT INTO attendance_events VALUES ('d4db370d-d692-500f-aabe-8c036cb85018', 5, 'ubnd-vinh', 'joined', 1557795662, NULL, 1557795663);
INSERT INTO attendance_events VALUES ('7824ccbc-f16f-5b4f-a1da-98e1dfca5614', 5, 'ubnd-vinh', 'left', 1557802740, 'ended', 1557802741);
INSERT INTO attendance_events VALUES ('13d53aca-4469-5cf4-a081-b5d96498e2b8', 5, 'ubnd-cua-lo', 'joined', 1557795663, NULL, 1557795664);
INSERT INTO attendance_events VALUES ('b090fae4-44ad-5b49-94d6-394270caa05e', 5, 'ubnd-cua-lo', 'left', 1557802740, 'ended', 1557802741);
INSERT INTO attendance_events VALUES ('b4e73d68-c0ea-5c40-af62-3146f5806903', 5, 'ubnd-thai-hoa', 'joined', 1557795664, NULL, 1557795665);
INSERT INTO attendance_events VALUES ('8385de67-818d-5ca6-9c46-5d3bce94228b', 5, 'ubnd-thai-hoa', 'left', 1557802740, 'ended', 1557802741);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1557190800, 'token:1', 'create', 5, '{"title":"Họp trực tuyến số 05"}');
INSERT INTO meetings VALUES (6, NULL, 'Họp trực tuyến số 06', 'so-tttt', 'so-tttt', 1560128400, 1560135600, 'ended', 1, 'token:1', 1559523600, 1559523600, 1560135600, 0, 1, 7080, 4, 4);
INSERT INTO meeting_endpoints VALUES (6, 'ubnd-tinh', 1560128400, 1560135600, 1);
INSERT INTO meeting_endpoints VALUES (6, 'so-tttt', 1560128400, 1560135600, 1);
INSERT INTO meeting_endpoints VALUES (6, 'ubnd-vinh', 1560128400, 1560135600, 1);
INSERT INTO meeting_endpoints VALUES (6, 'ubnd-ky-son', 1560128400, 1560135600, 1);
INSERT INTO attendance_events VALUES ('becaa51c-57c7-51e3-94a7-0ce5d01218ff', 6, 'ubnd-tinh', 'joined', 1560128460, NULL, 1560128461);
INSERT INTO attendance_events VALUES ('9a286f26-e542-58e9-9a04-ac53cbbbfbc3', 6, 'ubnd-tinh', 'left', 1560135540, 'ended', 1560135541);
INSERT INTO attendance_events VALUES ('c91b43c1-7e7d-5692-b076-25492d0c9c38', 6, 'so-tttt', 'joined', 1560128461, NULL, 1560128462);
INSERT INTO attendance_events VALUES ('4b33492b-9b71-5c81-8892-d1494803db82', 6, 'so-tttt', 'left', 1560135540, 'ended', 1560135541);
INSERT INTO attendance_events VALUES ('ea539f83-b5a1-5653-9334-345ccbcdf538', 6, 'ubnd-vinh', 'joined', 1560128462, NULL, 1560128463);
INSERT INTO attendance_events VALUES ('47dd0e9e-3cfd-5f28-8a79-9fbf5031e77e', 6, 'ubnd-vinh', 'left', 1560135540, 'ended', 1560135541);
INSERT INTO attendance_events VALUES ('52c0f289-5ded-5fc7-bde2-6dcf89bace32', 6, 'ubnd-ky-son', 'joined', 1560128463, NULL, 1560128464);
INSERT INTO attendance_events VALUES ('84b973ef-785e-5c9a-b656-7e12131818ed', 6, 'ubnd-ky-son', 'left', 1560135540, 'ended', 1560135541);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1559523600, 'token:1', 'create', 6, '{"title":"Họp trực tuyến số 06"}');
INSERT INTO meetings VALUES (7, NULL, 'Họp trực tuyến số 07', 'ubnd-tinh', 'ubnd-tinh', 1562806800, 1562814000, 'ended', 1, 'token:1', 1562202000, 1562202000, 1562814000, 0, 1, 7080, 4, 4);
INSERT INTO meeting_endpoints VALUES (7, 'ubnd-tinh', 1562806800, 1562814000, 1);
INSERT INTO meeting_endpoints VALUES (7, 'so-tttt', 1562806800, 1562814000, 1);
INSERT INTO meeting_endpoints VALUES (7, 'ubnd-vinh', 1562806800, 1562814000, 1);
INSERT INTO meeting_endpoints VALUES (7, 'ubnd-ky-son', 1562806800, 1562814000, 1);
INSERT INTO attendance_events VALUES ('1d6b4c2b-56af-50ee-aaf1-54e6ac7f7033', 7, 'ubnd-tinh', 'joined', 1562806860, NULL, 1562806861);
INSERT INTO attendance_events VALUES ('d8ca8696-0187-5239-8f6a-6bcac8afe021', 7, 'ubnd-tinh', 'left', 1562813940, 'ended', 1562813941);
INSERT INTO attendance_events VALUES ('c8b1a42e-dbbc-5530-9341-221fdc8f04db', 7, 'so-tttt', 'joined', 1562806861, NULL, 1562806862);
INSERT INTO attendance_events VALUES ('316a6501-2ee3-588d-a4a7-14f9b02e3077', 7, 'so-tttt', 'left', 1562813940, 'ended', 1562813941);
INSERT INTO attendance_events VALUES ('6bf41ab8-2fb1-53f0-8725-95c28182c382', 7, 'ubnd-vinh', 'joined', 1562806862, NULL, 1562806863);
INSERT INTO attendance_events VALUES ('1bf3c736-146a-5d2b-af40-e37272e81766', 7, 'ubnd-vinh', 'left', 1562813940, 'ended', 1562813941);
INSERT INTO attendance_events VALUES ('570fd052-ae32-5b9a-ad9d-ad55b04d40ac', 7, 'ubnd-ky-son', 'joined', 1562806863, NULL, 1562806864);
INSERT INTO attendance_events VALUES ('719b096b-f341-5d0f-8cca-d3e380b13e29', 7, 'ubnd-ky-son', 'left', 1562813940, 'ended', 1562813941);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1562202000, 'token:1', 'create', 7, '{"title":"Họp trực tuyến số 07"}');
INSERT INTO meetings VALUES (8, NULL, 'Họp trực tuyến số 08', 'tinh-uy', 'tinh-uy', 1565571600, 1565578800, 'ended', 1, 'token:1', 1564966800, 1564966800, 1565578800, 0, 1, 7080, 5, 5);
INSERT INTO meeting_endpoints VALUES (8, 'tinh-uy', 1565571600, 1565578800, 1);
INSERT INTO meeting_endpoints VALUES (8, 'ubnd-tinh', 1565571600, 1565578800, 1);
INSERT INTO meeting_endpoints VALUES (8, 'ubnd-vinh', 1565571600, 1565578800, 1);
INSERT INTO meeting_endpoints VALUES (8, 'ubnd-cua-lo', 1565571600, 1565578800, 1);
INSERT INTO meeting_endpoints VALUES (8, 'ubnd-thai-hoa', 1565571600, 1565578800, 1);
INSERT INTO attendance_events VALUES ('97369563-5a7d-55e7-8efe-a2210284bfc6', 8, 'tinh-uy', 'joined', 1565571660, NULL, 1565571661);
INSERT INTO attendance_events VALUES ('bb48ffca-af21-5e62-9e29-6c1c58740b99', 8, 'tinh-uy', 'left', 1565578740, 'ended', 1565578741);
INSERT INTO attendance_events VALUES ('b391df4a-f290-539f-bb1c-5e7cbb1f736e', 8, 'ubnd-tinh', 'joined', 1565571661, NULL, 1565571662);
INSERT INTO attendance_events VALUES ('a4ff01c1-012c-53d3-a49c-390f0980174e', 8, 'ubnd-tinh', 'left', 1565578740, 'ended', 1565578741);
INSERT INTO attendance_events VALUES ('db689321-e62f-5069-a617-9c8cf85aa521', 8, 'ubnd-vinh', 'joined', 1565571662, NULL, 1565571663);
INSERT INTO attendance_events VALUES ('d6f61121-3736-536f-aacf-2a1c144a51e6', 8, 'ubnd-vinh', 'left', 1565578740, 'ended', 1565578741);
INSERT INTO attendance_events VALUES ('a53ee0cf-8011-560f-8e79-189a8b63ec64', 8, 'ubnd-cua-lo', 'joined', 1565571663, NULL, 1565571664);
INSERT INTO attendance_events VALUES ('3cca9f84-79f7-5984-bc68-0a4bdfb54282', 8, 'ubnd-cua-lo', 'left', 1565578740, 'ended', 1565578741);
INSERT INTO attendance_events VALUES ('b7f0842e-bc85-5c65-b995-57c48585675c', 8, 'ubnd-thai-hoa', 'joined', 1565571664, NULL, 1565571665);
INSERT INTO attendance_events VALUES ('561080cc-74c9-52c5-a665-cd8f1aadd8e6', 8, 'ubnd-thai-hoa', 'left', 1565578740, 'ended', 1565578741);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1564966800, 'token:1', 'create', 8, '{"title":"Họp trực tuyến số 08"}');
INSERT INTO meetings VALUES (9, NULL, 'Họp trực tuyến số 09', 'so-tttt', 'so-tttt', 1568336400, 1568343600, 'ended', 1, 'token:1', 1567731600, 1567731600, 1568343600, 0, 1, 7080, 4, 4);
INSERT INTO meeting_endpoints VALUES (9, 'ubnd-tinh', 1568336400, 1568343600, 1);
INSERT INTO meeting_endpoints VALUES (9, 'so-tttt', 1568336400, 1568343600, 1);
INSERT INTO meeting_endpoints VALUES (9, 'ubnd-vinh', 1568336400, 1568343600, 1);
INSERT INTO meeting_endpoints VALUES (9, 'ubnd-ky-son', 1568336400, 1568343600, 1);
INSERT INTO attendance_events VALUES ('9bc113e3-a807-5026-978d-061b0f002911', 9, 'ubnd-tinh', 'joined', 1568336460, NULL, 1568336461);
INSERT INTO attendance_events VALUES ('5c5b9b2e-fbf9-5289-b5f1-550b7a8a0315', 9, 'ubnd-tinh', 'left', 1568343540, 'ended', 1568343541);
INSERT INTO attendance_events VALUES ('88fd01ff-ea10-5d92-b17d-15fe1d4ae64d', 9, 'so-tttt', 'joined', 1568336461, NULL, 1568336462);
INSERT INTO attendance_events VALUES ('13cd508b-7db8-55f7-9781-394fcf5be3c8', 9, 'so-tttt', 'left', 1568343540, 'ended', 1568343541);
INSERT INTO attendance_events VALUES ('5a507d6c-bea8-5a24-aabc-fdf544575ec8', 9, 'ubnd-vinh', 'joined', 1568336462, NULL, 1568336463);
INSERT INTO attendance_events VALUES ('6aeecd32-9aed-57a7-854e-9f22131204a5', 9, 'ubnd-vinh', 'left', 1568343540, 'ended', 1568343541);
INSERT INTO attendance_events VALUES ('9af91b8d-fd2b-5751-b9fb-ad53806b05a7', 9, 'ubnd-ky-son', 'joined', 1568336463, NULL, 1568336464);
INSERT INTO attendance_events VALUES ('53af10a9-b41d-59d9-832b-c488fcc5d073', 9, 'ubnd-ky-son', 'left', 1568343540, 'ended', 1568343541);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1567731600, 'token:1', 'create', 9, '{"title":"Họp trực tuyến số 09"}');
INSERT INTO meetings VALUES (10, NULL, 'Họp trực tuyến số 10', 'ubnd-tinh', 'ubnd-tinh', 1571014800, 1571022000, 'ended', 1, 'token:1', 1570410000, 1570410000, 1571022000, 0, 1, 7080, 4, 4);
INSERT INTO meeting_endpoints VALUES (10, 'ubnd-tinh', 1571014800, 1571022000, 1);
INSERT INTO meeting_endpoints VALUES (10, 'so-tttt', 1571014800, 1571022000, 1);
INSERT INTO meeting_endpoints VALUES (10, 'ubnd-vinh', 1571014800, 1571022000, 1);
INSERT INTO meeting_endpoints VALUES (10, 'ubnd-ky-son', 1571014800, 1571022000, 1);
INSERT INTO attendance_events VALUES ('d6d222f4-434d-5046-8004-e12d74f448f9', 10, 'ubnd-tinh', 'joined', 1571014860, NULL, 1571014861);
INSERT INTO attendance_events VALUES ('d51f63c4-0dd8-50ec-b15d-8d53124e4a28', 10, 'ubnd-tinh', 'left', 1571021940, 'ended', 1571021941);
INSERT INTO attendance_events VALUES ('47234a09-2700-5f3f-a49e-c4b06b564f82', 10, 'so-tttt', 'joined', 1571014861, NULL, 1571014862);
INSERT INTO attendance_events VALUES ('a47c09f5-58e5-582a-85af-b617bfcdd077', 10, 'so-tttt', 'left', 1571021940, 'ended', 1571021941);
INSERT INTO attendance_events VALUES ('9baa6d1b-9205-5ac6-86e1-e12a557b39bd', 10, 'ubnd-vinh', 'joined', 1571014862, NULL, 1571014863);
INSERT INTO attendance_events VALUES ('06188a74-133d-5d4d-9af3-d8728928dc18', 10, 'ubnd-vinh', 'left', 1571021940, 'ended', 1571021941);
INSERT INTO attendance_events VALUES ('88446a5b-7ac1-52cb-9b3b-de66bfa9574d', 10, 'ubnd-ky-son', 'joined', 1571014863, NULL, 1571014864);
INSERT INTO attendance_events VALUES ('94eb0f19-b6f0-5bf7-b540-7f663cfc7cd7', 10, 'ubnd-ky-son', 'left', 1571021940, 'ended', 1571021941);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1570410000, 'token:1', 'create', 10, '{"title":"Họp trực tuyến số 10"}');
INSERT INTO meetings VALUES (11, NULL, 'Họp trực tuyến số 11', 'ubnd-tinh', 'ubnd-tinh', 1672902000, 1672907400, 'ended', 1, 'token:1', 1672297200, 1672297200, 1672907400, 0, 1, 5280, 5, 5);
INSERT INTO meeting_endpoints VALUES (11, 'tinh-uy', 1672902000, 1672907400, 1);
INSERT INTO meeting_endpoints VALUES (11, 'ubnd-tinh', 1672902000, 1672907400, 1);
INSERT INTO meeting_endpoints VALUES (11, 'ubnd-vinh', 1672902000, 1672907400, 1);
INSERT INTO meeting_endpoints VALUES (11, 'ubnd-cua-lo', 1672902000, 1672907400, 1);
INSERT INTO meeting_endpoints VALUES (11, 'ubnd-thai-hoa', 1672902000, 1672907400, 1);
INSERT INTO attendance_events VALUES ('1a09b891-fa59-5be3-87fe-9e8ac23f91df', 11, 'tinh-uy', 'joined', 1672902060, NULL, 1672902061);
INSERT INTO attendance_events VALUES ('523cc5bb-d0ac-5fcc-a400-1443f831448c', 11, 'tinh-uy', 'left', 1672907340, 'ended', 1672907341);
INSERT INTO attendance_events VALUES ('88b315d4-b932-5981-a20a-cbef25ed0c1b', 11, 'ubnd-tinh', 'joined', 1672902061, NULL, 1672902062);
INSERT INTO attendance_events VALUES ('f5dc2617-599c-584a-b9f8-d6f5b64ecf9c', 11, 'ubnd-tinh', 'left', 1672907340, 'ended', 1672907341);
INSERT INTO attendance_events VALUES ('38bedddf-1e17-5569-821f-616a96a5f3e2', 11, 'ubnd-vinh', 'joined', 1672902062, NULL, 1672902063);
INSERT INTO attendance_events VALUES ('ead84451-e5b6-5163-8647-2beb3dbc608a', 11, 'ubnd-vinh', 'left', 1672907340, 'ended', 1672907341);
INSERT INTO attendance_events VALUES ('4c1b7e18-fc1b-5ced-ac60-3f9f03c22574', 11, 'ubnd-cua-lo', 'joined', 1672902063, NULL, 1672902064);
INSERT INTO attendance_events VALUES ('ad942931-33eb-5ce8-81eb-67011a1f80e9', 11, 'ubnd-cua-lo', 'left', 1672907340, 'ended', 1672907341);
INSERT INTO attendance_events VALUES ('1d2c5d06-1c2f-5f5a-930f-4ce5fa7110d9', 11, 'ubnd-thai-hoa', 'joined', 1672902064, NULL, 1672902065);
INSERT INTO attendance_events VALUES ('5ab1283c-ea15-51f6-9308-4c119ed92574', 11, 'ubnd-thai-hoa', 'left', 1672907340, 'ended', 1672907341);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1672297200, 'token:1', 'create', 11, '{"title":"Họp trực tuyến số 11"}');
INSERT INTO meetings VALUES (12, NULL, 'Họp trực tuyến số 12', 'ubnd-tinh', 'ubnd-tinh', 1675580400, 1675585800, 'ended', 1, 'token:1', 1674975600, 1674975600, 1675585800, 0, 1, 5280, 5, 5);
INSERT INTO meeting_endpoints VALUES (12, 'tinh-uy', 1675580400, 1675585800, 1);
INSERT INTO meeting_endpoints VALUES (12, 'ubnd-tinh', 1675580400, 1675585800, 1);
INSERT INTO meeting_endpoints VALUES (12, 'ubnd-vinh', 1675580400, 1675585800, 1);
INSERT INTO meeting_endpoints VALUES (12, 'ubnd-cua-lo', 1675580400, 1675585800, 1);
INSERT INTO meeting_endpoints VALUES (12, 'ubnd-thai-hoa', 1675580400, 1675585800, 1);
INSERT INTO attendance_events VALUES ('9fc3ae4f-834b-59e2-b92d-8c63c93bd6ac', 12, 'tinh-uy', 'joined', 1675580460, NULL, 1675580461);
INSERT INTO attendance_events VALUES ('837fa1b0-804f-5b51-ab66-a89ebfe89668', 12, 'tinh-uy', 'left', 1675585740, 'ended', 1675585741);
INSERT INTO attendance_events VALUES ('5f52db91-9d98-56e5-a93d-e65e5b6aa813', 12, 'ubnd-tinh', 'joined', 1675580461, NULL, 1675580462);
INSERT INTO attendance_events VALUES ('66246b2b-a0a1-5be7-acf5-b6441dd18ea2', 12, 'ubnd-tinh', 'left', 1675585740, 'ended', 1675585741);
INSERT INTO attendance_events VALUES ('117f8508-426f-5ae0-9be9-6658340258ab', 12, 'ubnd-vinh', 'joined', 1675580462, NULL, 1675580463);
INSERT INTO attendance_events VALUES ('deb2f875-3736-5f02-a7fb-746f1e524f5d', 12, 'ubnd-vinh', 'left', 1675585740, 'ended', 1675585741);
INSERT INTO attendance_events VALUES ('c736cfc8-d51c-58b9-b6ca-527d940790d3', 12, 'ubnd-cua-lo', 'joined', 1675580463, NULL, 1675580464);
INSERT INTO attendance_events VALUES ('98b90131-5879-5ca4-8aca-0f149989982a', 12, 'ubnd-cua-lo', 'left', 1675585740, 'ended', 1675585741);
INSERT INTO attendance_events VALUES ('53b4f107-f4fd-5017-ba00-a1c41cea7830', 12, 'ubnd-thai-hoa', 'joined', 1675580464, NULL, 1675580465);
INSERT INTO attendance_events VALUES ('de18a83e-53c8-5aee-89b3-189438fa3716', 12, 'ubnd-thai-hoa', 'left', 1675585740, 'ended', 1675585741);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1674975600, 'token:1', 'create', 12, '{"title":"Họp trực tuyến số 12"}');
INSERT INTO meetings VALUES (13, NULL, 'Họp trực tuyến số 13', 'ubnd-tinh', 'ubnd-tinh', 1677999600, 1678005000, 'ended', 1, 'token:1', 1677394800, 1677394800, 1678005000, 0, 1, 5280, 5, 5);
INSERT INTO meeting_endpoints VALUES (13, 'tinh-uy', 1677999600, 1678005000, 1);
INSERT INTO meeting_endpoints VALUES (13, 'ubnd-tinh', 1677999600, 1678005000, 1);
INSERT INTO meeting_endpoints VALUES (13, 'ubnd-vinh', 1677999600, 1678005000, 1);
INSERT INTO meeting_endpoints VALUES (13, 'ubnd-cua-lo', 1677999600, 1678005000, 1);
INSERT INTO meeting_endpoints VALUES (13, 'ubnd-thai-hoa', 1677999600, 1678005000, 1);
INSERT INTO attendance_events VALUES ('e0de8a87-599c-5683-a5b5-3e1a77014555', 13, 'tinh-uy', 'joined', 1677999660, NULL, 1677999661);
INSERT INTO attendance_events VALUES ('27d257ae-3ac4-5413-bf6f-7d6e1019bc69', 13, 'tinh-uy', 'left', 1678004940, 'ended', 1678004941);
INSERT INTO attendance_events VALUES ('ee1dd5e5-0470-5903-acd0-d03509b086a9', 13, 'ubnd-tinh', 'joined', 1677999661, NULL, 1677999662);
INSERT INTO attendance_events VALUES ('2cdeef40-8689-5916-9a3a-0c4dc46c14b8', 13, 'ubnd-tinh', 'left', 1678004940, 'ended', 1678004941);
INSERT INTO attendance_events VALUES ('ae74fba1-5f39-514a-9b25-097d15fe1682', 13, 'ubnd-vinh', 'joined', 1677999662, NULL, 1677999663);
INSERT INTO attendance_events VALUES ('1c2355c5-af66-52e7-ad61-65befc760082', 13, 'ubnd-vinh', 'left', 1678004940, 'ended', 1678004941);
INSERT INTO attendance_events VALUES ('fd9f98af-6467-5c30-b9e5-a6e88f175679', 13, 'ubnd-cua-lo', 'joined', 1677999663, NULL, 1677999664);
INSERT INTO attendance_events VALUES ('5a10cb89-2fe9-5142-ad47-15a3ae09a838', 13, 'ubnd-cua-lo', 'left', 1678004940, 'ended', 1678004941);
INSERT INTO attendance_events VALUES ('4c839f73-2862-50d4-822c-6653f0f2ce93', 13, 'ubnd-thai-hoa', 'joined', 1677999664, NULL, 1677999665);
INSERT INTO attendance_events VALUES ('22983ad1-39b1-5da1-b477-7e10f963593d', 13, 'ubnd-thai-hoa', 'left', 1678004940, 'ended', 1678004941);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1677394800, 'token:1', 'create', 13, '{"title":"Họp trực tuyến số 13"}');
INSERT INTO meetings VALUES (14, NULL, 'Họp trực tuyến số 14', 'ubnd-tinh', 'ubnd-tinh', 1680678000, 1680683400, 'ended', 1, 'token:1', 1680073200, 1680073200, 1680683400, 0, 0, 0, 1, 5);
INSERT INTO meeting_endpoints VALUES (14, 'tinh-uy', 1680678000, 1680683400, 1);
INSERT INTO meeting_endpoints VALUES (14, 'ubnd-tinh', 1680678000, 1680683400, 1);
INSERT INTO meeting_endpoints VALUES (14, 'ubnd-vinh', 1680678000, 1680683400, 1);
INSERT INTO meeting_endpoints VALUES (14, 'ubnd-cua-lo', 1680678000, 1680683400, 1);
INSERT INTO meeting_endpoints VALUES (14, 'ubnd-thai-hoa', 1680678000, 1680683400, 1);
INSERT INTO attendance_events VALUES ('6ad44cf3-1f4d-5dfa-b218-764fd912540e', 14, 'tinh-uy', 'joined', 1680678060, NULL, 1680678061);
INSERT INTO attendance_events VALUES ('b9e9e906-eb6d-5f5a-b55a-aa3fce085b37', 14, 'tinh-uy', 'left', 1680683340, 'ended', 1680683341);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1680073200, 'token:1', 'create', 14, '{"title":"Họp trực tuyến số 14"}');
INSERT INTO meetings VALUES (15, NULL, 'Họp trực tuyến số 15', 'ubnd-tinh', 'ubnd-tinh', 1683270000, 1683275400, 'ended', 1, 'token:1', 1682665200, 1682665200, 1683275400, 0, 1, 5280, 5, 5);
INSERT INTO meeting_endpoints VALUES (15, 'tinh-uy', 1683270000, 1683275400, 1);
INSERT INTO meeting_endpoints VALUES (15, 'ubnd-tinh', 1683270000, 1683275400, 1);
INSERT INTO meeting_endpoints VALUES (15, 'ubnd-vinh', 1683270000, 1683275400, 1);
INSERT INTO meeting_endpoints VALUES (15, 'ubnd-cua-lo', 1683270000, 1683275400, 1);
INSERT INTO meeting_endpoints VALUES (15, 'ubnd-thai-hoa', 1683270000, 1683275400, 1);
INSERT INTO attendance_events VALUES ('973e9fad-1785-5a63-986c-b6d2c43bb031', 15, 'tinh-uy', 'joined', 1683270060, NULL, 1683270061);
INSERT INTO attendance_events VALUES ('02159bd0-1261-5e70-8573-ec4f4c32b6bc', 15, 'tinh-uy', 'left', 1683275340, 'ended', 1683275341);
INSERT INTO attendance_events VALUES ('2fc07bf2-494b-5f9a-98d2-0730e14cccd3', 15, 'ubnd-tinh', 'joined', 1683270061, NULL, 1683270062);
INSERT INTO attendance_events VALUES ('8e073c08-d8b3-5523-a6c2-e9149adce0f2', 15, 'ubnd-tinh', 'left', 1683275340, 'ended', 1683275341);
INSERT INTO attendance_events VALUES ('a6415433-2281-5432-9630-718d4fc20789', 15, 'ubnd-vinh', 'joined', 1683270062, NULL, 1683270063);
INSERT INTO attendance_events VALUES ('32ada9c6-f32e-5145-a1dc-c5518a81ebb8', 15, 'ubnd-vinh', 'left', 1683275340, 'ended', 1683275341);
INSERT INTO attendance_events VALUES ('fb087d73-6c06-5ce9-bace-9f6602c51b75', 15, 'ubnd-cua-lo', 'joined', 1683270063, NULL, 1683270064);
INSERT INTO attendance_events VALUES ('1d4a8494-7321-5300-8bce-a187a907d30c', 15, 'ubnd-cua-lo', 'left', 1683275340, 'ended', 1683275341);
INSERT INTO attendance_events VALUES ('cc58fc98-7c71-505d-b941-5921a7c34797', 15, 'ubnd-thai-hoa', 'joined', 1683270064, NULL, 1683270065);
INSERT INTO attendance_events VALUES ('36739bc3-16ce-5e66-80bc-8ec74334a26a', 15, 'ubnd-thai-hoa', 'left', 1683275340, 'ended', 1683275341);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1682665200, 'token:1', 'create', 15, '{"title":"Họp trực tuyến số 15"}');
INSERT INTO meetings VALUES (16, NULL, 'Họp trực tuyến số 16', 'ubnd-tinh', 'ubnd-tinh', 1685948400, 1685953800, 'ended', 1, 'token:1', 1685343600, 1685343600, 1685953800, 0, 1, 5280, 5, 5);
INSERT INTO meeting_endpoints VALUES (16, 'tinh-uy', 1685948400, 1685953800, 1);
INSERT INTO meeting_endpoints VALUES (16, 'ubnd-tinh', 1685948400, 1685953800, 1);
INSERT INTO meeting_endpoints VALUES (16, 'ubnd-vinh', 1685948400, 1685953800, 1);
INSERT INTO meeting_endpoints VALUES (16, 'ubnd-cua-lo', 1685948400, 1685953800, 1);
INSERT INTO meeting_endpoints VALUES (16, 'ubnd-thai-hoa', 1685948400, 1685953800, 1);
INSERT INTO attendance_events VALUES ('ef36dd54-2895-5007-8833-a464c272fd82', 16, 'tinh-uy', 'joined', 1685948460, NULL, 1685948461);
INSERT INTO attendance_events VALUES ('87bc25eb-b5f1-553a-a011-a1357c6e58e4', 16, 'tinh-uy', 'left', 1685953740, 'ended', 1685953741);
INSERT INTO attendance_events VALUES ('0ffc426d-055f-5950-9e6a-7e65bc7d19d1', 16, 'ubnd-tinh', 'joined', 1685948461, NULL, 1685948462);
INSERT INTO attendance_events VALUES ('aa231d75-d140-5bea-91c8-c73ed5a70f5e', 16, 'ubnd-tinh', 'left', 1685953740, 'ended', 1685953741);
INSERT INTO attendance_events VALUES ('cd8a647b-a394-5baf-8fc8-d68eed35e726', 16, 'ubnd-vinh', 'joined', 1685948462, NULL, 1685948463);
INSERT INTO attendance_events VALUES ('9e7c0867-3a32-5838-9f05-7c385951de71', 16, 'ubnd-vinh', 'left', 1685953740, 'ended', 1685953741);
INSERT INTO attendance_events VALUES ('78bd6132-c4f0-5c66-baa7-ce28d6e85771', 16, 'ubnd-cua-lo', 'joined', 1685948463, NULL, 1685948464);
INSERT INTO attendance_events VALUES ('71fd5cb7-b197-5d77-a3ea-a9b902a74ee4', 16, 'ubnd-cua-lo', 'left', 1685953740, 'ended', 1685953741);
INSERT INTO attendance_events VALUES ('54c7e341-706a-52e6-9f3f-7ab05354b7ac', 16, 'ubnd-thai-hoa', 'joined', 1685948464, NULL, 1685948465);
INSERT INTO attendance_events VALUES ('533d23c9-3418-5d6a-8431-9fc763c501d3', 16, 'ubnd-thai-hoa', 'left', 1685953740, 'ended', 1685953741);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1685343600, 'token:1', 'create', 16, '{"title":"Họp trực tuyến số 16"}');
INSERT INTO meetings VALUES (17, NULL, 'Họp trực tuyến số 17', 'ubnd-tinh', 'ubnd-tinh', 1688540400, 1688545800, 'ended', 1, 'token:1', 1687935600, 1687935600, 1688545800, 0, 1, 5280, 5, 5);
INSERT INTO meeting_endpoints VALUES (17, 'tinh-uy', 1688540400, 1688545800, 1);
INSERT INTO meeting_endpoints VALUES (17, 'ubnd-tinh', 1688540400, 1688545800, 1);
INSERT INTO meeting_endpoints VALUES (17, 'ubnd-vinh', 1688540400, 1688545800, 1);
INSERT INTO meeting_endpoints VALUES (17, 'ubnd-cua-lo', 1688540400, 1688545800, 1);
INSERT INTO meeting_endpoints VALUES (17, 'ubnd-thai-hoa', 1688540400, 1688545800, 1);
INSERT INTO attendance_events VALUES ('a0350830-0313-5a04-8cce-1c51eb9e9969', 17, 'tinh-uy', 'joined', 1688540460, NULL, 1688540461);
INSERT INTO attendance_events VALUES ('d0688d98-164c-514b-9bc6-c685138bf141', 17, 'tinh-uy', 'left', 1688545740, 'ended', 1688545741);
INSERT INTO attendance_events VALUES ('c96de1a1-6070-58d4-a57e-ab1ba3d51e3d', 17, 'ubnd-tinh', 'joined', 1688540461, NULL, 1688540462);
INSERT INTO attendance_events VALUES ('e7486c74-9d27-5828-9c74-dc430757f133', 17, 'ubnd-tinh', 'left', 1688545740, 'ended', 1688545741);
INSERT INTO attendance_events VALUES ('08752540-c887-58ea-83b5-cb4c600b37d8', 17, 'ubnd-vinh', 'joined', 1688540462, NULL, 1688540463);
INSERT INTO attendance_events VALUES ('408c6aec-2ea6-5729-a9f2-de0541df7922', 17, 'ubnd-vinh', 'left', 1688545740, 'ended', 1688545741);
INSERT INTO attendance_events VALUES ('46647279-8e89-5d14-95ca-f034f1c3cf4e', 17, 'ubnd-cua-lo', 'joined', 1688540463, NULL, 1688540464);
INSERT INTO attendance_events VALUES ('8934f578-ba00-51fe-b5c9-df98dc72c51e', 17, 'ubnd-cua-lo', 'left', 1688545740, 'ended', 1688545741);
INSERT INTO attendance_events VALUES ('e201538b-eff8-51e4-a05f-fb33824c19a5', 17, 'ubnd-thai-hoa', 'joined', 1688540464, NULL, 1688540465);
INSERT INTO attendance_events VALUES ('22c1b8d8-b120-51cb-916c-090bfe04741a', 17, 'ubnd-thai-hoa', 'left', 1688545740, 'ended', 1688545741);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1687935600, 'token:1', 'create', 17, '{"title":"Họp trực tuyến số 17"}');
INSERT INTO meetings VALUES (18, NULL, 'Họp trực tuyến số 18', 'ubnd-tinh', 'ubnd-tinh', 1691218800, 1691224200, 'ended', 1, 'token:1', 1690614000, 1690614000, 1691224200, 0, 1, 5280, 5, 5);
INSERT INTO meeting_endpoints VALUES (18, 'tinh-uy', 1691218800, 1691224200, 1);
INSERT INTO meeting_endpoints VALUES (18, 'ubnd-tinh', 1691218800, 1691224200, 1);
INSERT INTO meeting_endpoints VALUES (18, 'ubnd-vinh', 1691218800, 1691224200, 1);
INSERT INTO meeting_endpoints VALUES (18, 'ubnd-cua-lo', 1691218800, 1691224200, 1);
INSERT INTO meeting_endpoints VALUES (18, 'ubnd-thai-hoa', 1691218800, 1691224200, 1);
INSERT INTO attendance_events VALUES ('3fa7413f-38f3-5cbb-9bdb-405c7807839b', 18, 'tinh-uy', 'joined', 1691218860, NULL, 1691218861);
INSERT INTO attendance_events VALUES ('ff20ac7b-e2f2-5175-81bb-2c1f839e2105', 18, 'tinh-uy', 'left', 1691224140, 'ended', 1691224141);
INSERT INTO attendance_events VALUES ('a4f01d6f-3243-55e0-ad78-b97c586d6ac6', 18, 'ubnd-tinh', 'joined', 1691218861, NULL, 1691218862);
INSERT INTO attendance_events VALUES ('c940a3fe-8737-58f4-a111-83622fcf205c', 18, 'ubnd-tinh', 'left', 1691224140, 'ended', 1691224141);
INSERT INTO attendance_events VALUES ('9b9ed714-b072-524f-a8f8-0f516f413aa5', 18, 'ubnd-vinh', 'joined', 1691218862, NULL, 1691218863);
INSERT INTO attendance_events VALUES ('e4288471-a29b-5dad-b3fc-931ae5d4fa8f', 18, 'ubnd-vinh', 'left', 1691224140, 'ended', 1691224141);
INSERT INTO attendance_events VALUES ('3e3d4561-a6c9-5737-8e2b-fe63a43eee26', 18, 'ubnd-cua-lo', 'joined', 1691218863, NULL, 1691218864);
INSERT INTO attendance_events VALUES ('2d56c7e9-0bce-593f-83d0-97a1c643a7eb', 18, 'ubnd-cua-lo', 'left', 1691224140, 'ended', 1691224141);
INSERT INTO attendance_events VALUES ('7f5faa1f-f8ba-5653-a1c2-a3a7f7d25bb1', 18, 'ubnd-thai-hoa', 'joined', 1691218864, NULL, 1691218865);
INSERT INTO attendance_events VALUES ('b2bb101d-a0ef-5dd1-bdab-f1c2024e46ea', 18, 'ubnd-thai-hoa', 'left', 1691224140, 'ended', 1691224141);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1690614000, 'token:1', 'create', 18, '{"title":"Họp trực tuyến số 18"}');
INSERT INTO meetings VALUES (19, NULL, 'Họp trực tuyến số 19', 'ubnd-tinh', 'ubnd-tinh', 1704243600, 1704252600, 'ended', 1, 'token:1', 1703638800, 1703638800, 1704252600, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (19, 'tinh-uy', 1704243600, 1704252600, 1);
INSERT INTO meeting_endpoints VALUES (19, 'ubnd-tinh', 1704243600, 1704252600, 1);
INSERT INTO meeting_endpoints VALUES (19, 'ubnd-vinh', 1704243600, 1704252600, 1);
INSERT INTO meeting_endpoints VALUES (19, 'ubnd-cua-lo', 1704243600, 1704252600, 1);
INSERT INTO meeting_endpoints VALUES (19, 'ubnd-thai-hoa', 1704243600, 1704252600, 1);
INSERT INTO attendance_events VALUES ('a42aacb5-405f-5059-a9b9-53f32e61c9d6', 19, 'tinh-uy', 'joined', 1704243660, NULL, 1704243661);
INSERT INTO attendance_events VALUES ('0e7e519c-22e0-5228-b8b3-59c2106d9626', 19, 'tinh-uy', 'left', 1704252540, 'ended', 1704252541);
INSERT INTO attendance_events VALUES ('ab56fd5f-cc05-59b8-a3a4-e12ed75a11c4', 19, 'ubnd-tinh', 'joined', 1704243661, NULL, 1704243662);
INSERT INTO attendance_events VALUES ('9dba6b1d-5e10-532a-b069-de4f88f4bf9b', 19, 'ubnd-tinh', 'left', 1704252540, 'ended', 1704252541);
INSERT INTO attendance_events VALUES ('c6db72b0-1b35-5855-b3c3-7311fd9617c5', 19, 'ubnd-vinh', 'joined', 1704243662, NULL, 1704243663);
INSERT INTO attendance_events VALUES ('5d4a5633-f70c-5a36-91c3-cdd589475b75', 19, 'ubnd-vinh', 'left', 1704252540, 'ended', 1704252541);
INSERT INTO attendance_events VALUES ('34dae54e-ebc1-5b17-aadf-434b779638c5', 19, 'ubnd-cua-lo', 'joined', 1704243663, NULL, 1704243664);
INSERT INTO attendance_events VALUES ('a1b2f0e5-bb67-52b0-9482-5114dd8fc9f2', 19, 'ubnd-cua-lo', 'left', 1704252540, 'ended', 1704252541);
INSERT INTO attendance_events VALUES ('75a374c8-a3f6-53cf-8ce0-dbd40f952050', 19, 'ubnd-thai-hoa', 'joined', 1704243664, NULL, 1704243665);
INSERT INTO attendance_events VALUES ('1834c1d1-e764-563b-ba21-11b18aef3dac', 19, 'ubnd-thai-hoa', 'left', 1704252540, 'ended', 1704252541);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1703638800, 'token:1', 'create', 19, '{"title":"Họp trực tuyến số 19"}');
INSERT INTO meetings VALUES (20, NULL, 'Họp trực tuyến số 20', 'ubnd-tinh', 'ubnd-tinh', 1704938400, 1704947400, 'ended', 1, 'token:1', 1704333600, 1704333600, 1704947400, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (20, 'tinh-uy', 1704938400, 1704947400, 1);
INSERT INTO meeting_endpoints VALUES (20, 'ubnd-tinh', 1704938400, 1704947400, 1);
INSERT INTO meeting_endpoints VALUES (20, 'ubnd-vinh', 1704938400, 1704947400, 1);
INSERT INTO meeting_endpoints VALUES (20, 'ubnd-cua-lo', 1704938400, 1704947400, 1);
INSERT INTO meeting_endpoints VALUES (20, 'ubnd-thai-hoa', 1704938400, 1704947400, 1);
INSERT INTO attendance_events VALUES ('cbea5b51-7210-53aa-8390-79ca549366e9', 20, 'tinh-uy', 'joined', 1704938460, NULL, 1704938461);
INSERT INTO attendance_events VALUES ('7f408d20-0e28-51b9-89dc-128f48887db0', 20, 'tinh-uy', 'left', 1704947340, 'ended', 1704947341);
INSERT INTO attendance_events VALUES ('3c653326-cdfc-500a-8d51-1019ef36fc73', 20, 'ubnd-tinh', 'joined', 1704938461, NULL, 1704938462);
INSERT INTO attendance_events VALUES ('196c6839-4118-5afc-ab25-c3448439891d', 20, 'ubnd-tinh', 'left', 1704947340, 'ended', 1704947341);
INSERT INTO attendance_events VALUES ('d4effb03-a0de-5589-9497-6bac43ce109b', 20, 'ubnd-vinh', 'joined', 1704938462, NULL, 1704938463);
INSERT INTO attendance_events VALUES ('78ff8ebc-b88a-5ff6-a870-6b2c0724f5e7', 20, 'ubnd-vinh', 'left', 1704947340, 'ended', 1704947341);
INSERT INTO attendance_events VALUES ('4c112003-335e-510c-b3ee-8f7f2913d868', 20, 'ubnd-cua-lo', 'joined', 1704938463, NULL, 1704938464);
INSERT INTO attendance_events VALUES ('4953f2b5-ad70-5aaf-9cd9-ee034b36c7b4', 20, 'ubnd-cua-lo', 'left', 1704947340, 'ended', 1704947341);
INSERT INTO attendance_events VALUES ('0ba90b0a-994d-5b78-8751-6a3693d916ac', 20, 'ubnd-thai-hoa', 'joined', 1704938464, NULL, 1704938465);
INSERT INTO attendance_events VALUES ('ea4969d7-c32d-568d-909e-976e448ea430', 20, 'ubnd-thai-hoa', 'left', 1704947340, 'ended', 1704947341);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1704333600, 'token:1', 'create', 20, '{"title":"Họp trực tuyến số 20"}');
INSERT INTO meetings VALUES (21, NULL, 'Họp trực tuyến số 21', 'ubnd-tinh', 'ubnd-tinh', 1707102000, 1707111000, 'ended', 1, 'token:1', 1706497200, 1706497200, 1707111000, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (21, 'tinh-uy', 1707102000, 1707111000, 1);
INSERT INTO meeting_endpoints VALUES (21, 'ubnd-tinh', 1707102000, 1707111000, 1);
INSERT INTO meeting_endpoints VALUES (21, 'ubnd-vinh', 1707102000, 1707111000, 1);
INSERT INTO meeting_endpoints VALUES (21, 'ubnd-cua-lo', 1707102000, 1707111000, 1);
INSERT INTO meeting_endpoints VALUES (21, 'ubnd-thai-hoa', 1707102000, 1707111000, 1);
INSERT INTO attendance_events VALUES ('e5cd73d5-8e67-5601-9ccb-62485d5e87b9', 21, 'tinh-uy', 'joined', 1707102060, NULL, 1707102061);
INSERT INTO attendance_events VALUES ('5ba46d5c-5428-50df-b35c-910f57ce5b78', 21, 'tinh-uy', 'left', 1707110940, 'ended', 1707110941);
INSERT INTO attendance_events VALUES ('a0224569-e080-5a65-82f3-dd4fb6508860', 21, 'ubnd-tinh', 'joined', 1707102061, NULL, 1707102062);
INSERT INTO attendance_events VALUES ('5c482194-2110-5e1a-801d-baa0028babe1', 21, 'ubnd-tinh', 'left', 1707110940, 'ended', 1707110941);
INSERT INTO attendance_events VALUES ('d535a6f7-e9f7-5243-8e5b-1267221feaeb', 21, 'ubnd-vinh', 'joined', 1707102062, NULL, 1707102063);
INSERT INTO attendance_events VALUES ('dc813eba-271c-5aef-a011-d2fad4dd81ff', 21, 'ubnd-vinh', 'left', 1707110940, 'ended', 1707110941);
INSERT INTO attendance_events VALUES ('d9b73ca0-db30-58fb-968f-4b215018e41d', 21, 'ubnd-cua-lo', 'joined', 1707102063, NULL, 1707102064);
INSERT INTO attendance_events VALUES ('d2c12979-7f63-5ad3-8cdf-39651284ad04', 21, 'ubnd-cua-lo', 'left', 1707110940, 'ended', 1707110941);
INSERT INTO attendance_events VALUES ('e73943d1-2ac4-5e86-88eb-40d6ee2a2d98', 21, 'ubnd-thai-hoa', 'joined', 1707102064, NULL, 1707102065);
INSERT INTO attendance_events VALUES ('8b586971-8f96-5d98-b679-82a6e7939404', 21, 'ubnd-thai-hoa', 'left', 1707110940, 'ended', 1707110941);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1706497200, 'token:1', 'create', 21, '{"title":"Họp trực tuyến số 21"}');
INSERT INTO meetings VALUES (22, NULL, 'Họp trực tuyến số 22', 'ubnd-tinh', 'ubnd-tinh', 1707526800, 1707535800, 'ended', 1, 'token:1', 1706922000, 1706922000, 1707535800, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (22, 'tinh-uy', 1707526800, 1707535800, 1);
INSERT INTO meeting_endpoints VALUES (22, 'ubnd-tinh', 1707526800, 1707535800, 1);
INSERT INTO meeting_endpoints VALUES (22, 'ubnd-vinh', 1707526800, 1707535800, 1);
INSERT INTO meeting_endpoints VALUES (22, 'ubnd-cua-lo', 1707526800, 1707535800, 1);
INSERT INTO meeting_endpoints VALUES (22, 'ubnd-thai-hoa', 1707526800, 1707535800, 1);
INSERT INTO attendance_events VALUES ('5c1084f1-71cf-5271-9fdb-f156f8896971', 22, 'tinh-uy', 'joined', 1707526860, NULL, 1707526861);
INSERT INTO attendance_events VALUES ('5470947d-8a0d-5d1d-a2ea-37dd42095b75', 22, 'tinh-uy', 'left', 1707535740, 'ended', 1707535741);
INSERT INTO attendance_events VALUES ('2c95f7fe-b62f-5393-b035-fb420cd057c6', 22, 'ubnd-tinh', 'joined', 1707526861, NULL, 1707526862);
INSERT INTO attendance_events VALUES ('5f9c7386-77e3-5b78-9275-4b2b64bd9d01', 22, 'ubnd-tinh', 'left', 1707535740, 'ended', 1707535741);
INSERT INTO attendance_events VALUES ('3bf04dcf-bc40-502a-8141-61375b86dfed', 22, 'ubnd-vinh', 'joined', 1707526862, NULL, 1707526863);
INSERT INTO attendance_events VALUES ('56662b62-324c-52f8-9ed9-92acc67e5312', 22, 'ubnd-vinh', 'left', 1707535740, 'ended', 1707535741);
INSERT INTO attendance_events VALUES ('2dada252-9def-5552-8092-d76fe12a1cdd', 22, 'ubnd-cua-lo', 'joined', 1707526863, NULL, 1707526864);
INSERT INTO attendance_events VALUES ('208372dc-13a6-5c59-834a-67e61b5f6ce0', 22, 'ubnd-cua-lo', 'left', 1707535740, 'ended', 1707535741);
INSERT INTO attendance_events VALUES ('7b0952c7-f659-5337-a2dd-959acc5d0b26', 22, 'ubnd-thai-hoa', 'joined', 1707526864, NULL, 1707526865);
INSERT INTO attendance_events VALUES ('4c5e5ebe-6d5f-5d1d-aa7b-a31572754718', 22, 'ubnd-thai-hoa', 'left', 1707535740, 'ended', 1707535741);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1706922000, 'token:1', 'create', 22, '{"title":"Họp trực tuyến số 22"}');
INSERT INTO meetings VALUES (23, NULL, 'Họp trực tuyến số 23', 'ubnd-tinh', 'ubnd-tinh', 1709517600, 1709526600, 'ended', 1, 'token:1', 1708912800, 1708912800, 1709526600, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (23, 'tinh-uy', 1709517600, 1709526600, 1);
INSERT INTO meeting_endpoints VALUES (23, 'ubnd-tinh', 1709517600, 1709526600, 1);
INSERT INTO meeting_endpoints VALUES (23, 'ubnd-vinh', 1709517600, 1709526600, 1);
INSERT INTO meeting_endpoints VALUES (23, 'ubnd-cua-lo', 1709517600, 1709526600, 1);
INSERT INTO meeting_endpoints VALUES (23, 'ubnd-thai-hoa', 1709517600, 1709526600, 1);
INSERT INTO attendance_events VALUES ('e18af853-80f6-5358-ab7f-95dd88deeab1', 23, 'tinh-uy', 'joined', 1709517660, NULL, 1709517661);
INSERT INTO attendance_events VALUES ('7057adc8-8fba-527f-95b3-4003f17603dd', 23, 'tinh-uy', 'left', 1709526540, 'ended', 1709526541);
INSERT INTO attendance_events VALUES ('29613454-5124-5e58-ac66-5aca5c7ffca7', 23, 'ubnd-tinh', 'joined', 1709517661, NULL, 1709517662);
INSERT INTO attendance_events VALUES ('225bd13c-7b9e-524c-b3e9-74e22dfc3521', 23, 'ubnd-tinh', 'left', 1709526540, 'ended', 1709526541);
INSERT INTO attendance_events VALUES ('ed5f6992-6f68-58a1-a481-8069740cee1b', 23, 'ubnd-vinh', 'joined', 1709517662, NULL, 1709517663);
INSERT INTO attendance_events VALUES ('d080755a-00ae-59f1-b5aa-9ddfb18963cf', 23, 'ubnd-vinh', 'left', 1709526540, 'ended', 1709526541);
INSERT INTO attendance_events VALUES ('e598828a-200c-5b46-afc0-55582c5a4084', 23, 'ubnd-cua-lo', 'joined', 1709517663, NULL, 1709517664);
INSERT INTO attendance_events VALUES ('96346858-6bfc-5fff-884e-3a464f208cc0', 23, 'ubnd-cua-lo', 'left', 1709526540, 'ended', 1709526541);
INSERT INTO attendance_events VALUES ('02e5d289-9944-5dd3-926d-6be504ddfb4e', 23, 'ubnd-thai-hoa', 'joined', 1709517664, NULL, 1709517665);
INSERT INTO attendance_events VALUES ('58f5f4a5-61ba-5277-b46b-c571e865ac47', 23, 'ubnd-thai-hoa', 'left', 1709526540, 'ended', 1709526541);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1708912800, 'token:1', 'create', 23, '{"title":"Họp trực tuyến số 23"}');
INSERT INTO meetings VALUES (24, NULL, 'Họp trực tuyến số 24', 'ubnd-tinh', 'ubnd-tinh', 1710212400, 1710221400, 'ended', 1, 'token:1', 1709607600, 1709607600, 1710221400, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (24, 'tinh-uy', 1710212400, 1710221400, 1);
INSERT INTO meeting_endpoints VALUES (24, 'ubnd-tinh', 1710212400, 1710221400, 1);
INSERT INTO meeting_endpoints VALUES (24, 'ubnd-vinh', 1710212400, 1710221400, 1);
INSERT INTO meeting_endpoints VALUES (24, 'ubnd-cua-lo', 1710212400, 1710221400, 1);
INSERT INTO meeting_endpoints VALUES (24, 'ubnd-thai-hoa', 1710212400, 1710221400, 1);
INSERT INTO attendance_events VALUES ('949efc07-2c49-5b0e-8878-40505a6b6ffd', 24, 'tinh-uy', 'joined', 1710212460, NULL, 1710212461);
INSERT INTO attendance_events VALUES ('0c12f195-d76e-5ae4-8509-3c0ffc1147e8', 24, 'tinh-uy', 'left', 1710221340, 'ended', 1710221341);
INSERT INTO attendance_events VALUES ('7d1a8ff3-b4b7-5b64-a83d-e7bc9994bbee', 24, 'ubnd-tinh', 'joined', 1710212461, NULL, 1710212462);
INSERT INTO attendance_events VALUES ('511f2969-aa62-5a31-b0c5-d712f7cdb48f', 24, 'ubnd-tinh', 'left', 1710221340, 'ended', 1710221341);
INSERT INTO attendance_events VALUES ('d6e9e3c4-6dbd-5714-9841-f39bc31a84ef', 24, 'ubnd-vinh', 'joined', 1710212462, NULL, 1710212463);
INSERT INTO attendance_events VALUES ('5148d2d8-09e2-5198-88d9-e82a6e03857b', 24, 'ubnd-vinh', 'left', 1710221340, 'ended', 1710221341);
INSERT INTO attendance_events VALUES ('9108ff7e-175f-53f6-8a82-7371511f31ed', 24, 'ubnd-cua-lo', 'joined', 1710212463, NULL, 1710212464);
INSERT INTO attendance_events VALUES ('d976cc21-6f39-5e05-839b-69fe017083b6', 24, 'ubnd-cua-lo', 'left', 1710221340, 'ended', 1710221341);
INSERT INTO attendance_events VALUES ('8d3c097c-8cd7-5360-ad78-a4fcdbc61f05', 24, 'ubnd-thai-hoa', 'joined', 1710212464, NULL, 1710212465);
INSERT INTO attendance_events VALUES ('0a99dcad-e93a-5230-976e-d9e4d7ac83b3', 24, 'ubnd-thai-hoa', 'left', 1710221340, 'ended', 1710221341);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1709607600, 'token:1', 'create', 24, '{"title":"Họp trực tuyến số 24"}');
INSERT INTO meetings VALUES (25, NULL, 'Họp trực tuyến số 25', 'ubnd-tinh', 'ubnd-tinh', 1712106000, 1712115000, 'ended', 1, 'token:1', 1711501200, 1711501200, 1712115000, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (25, 'tinh-uy', 1712106000, 1712115000, 1);
INSERT INTO meeting_endpoints VALUES (25, 'ubnd-tinh', 1712106000, 1712115000, 1);
INSERT INTO meeting_endpoints VALUES (25, 'ubnd-vinh', 1712106000, 1712115000, 1);
INSERT INTO meeting_endpoints VALUES (25, 'ubnd-cua-lo', 1712106000, 1712115000, 1);
INSERT INTO meeting_endpoints VALUES (25, 'ubnd-thai-hoa', 1712106000, 1712115000, 1);
INSERT INTO attendance_events VALUES ('72b2a516-65dd-51b3-bb2a-1037c15eb419', 25, 'tinh-uy', 'joined', 1712106060, NULL, 1712106061);
INSERT INTO attendance_events VALUES ('8f535be4-c5ac-5ced-af7f-3fc1e0b49b95', 25, 'tinh-uy', 'left', 1712114940, 'ended', 1712114941);
INSERT INTO attendance_events VALUES ('1d4026b5-fd42-5b4b-805c-d149e2fb385d', 25, 'ubnd-tinh', 'joined', 1712106061, NULL, 1712106062);
INSERT INTO attendance_events VALUES ('66c265c7-4996-5b70-bfcb-25b70404eb3c', 25, 'ubnd-tinh', 'left', 1712114940, 'ended', 1712114941);
INSERT INTO attendance_events VALUES ('4c76622d-fe27-5c04-b7be-680466a5a847', 25, 'ubnd-vinh', 'joined', 1712106062, NULL, 1712106063);
INSERT INTO attendance_events VALUES ('9e863228-c34b-5b7d-adf2-27965bc40b0d', 25, 'ubnd-vinh', 'left', 1712114940, 'ended', 1712114941);
INSERT INTO attendance_events VALUES ('d86defdb-5268-5a68-9737-c742606901e7', 25, 'ubnd-cua-lo', 'joined', 1712106063, NULL, 1712106064);
INSERT INTO attendance_events VALUES ('b19f6b01-a16a-5fc6-8add-b094c7856a6e', 25, 'ubnd-cua-lo', 'left', 1712114940, 'ended', 1712114941);
INSERT INTO attendance_events VALUES ('6b9a4aff-33ff-5652-bd59-53db2a3ac6d3', 25, 'ubnd-thai-hoa', 'joined', 1712106064, NULL, 1712106065);
INSERT INTO attendance_events VALUES ('2cb17106-4178-5623-af12-29a1cbf8f801', 25, 'ubnd-thai-hoa', 'left', 1712114940, 'ended', 1712114941);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1711501200, 'token:1', 'create', 25, '{"title":"Họp trực tuyến số 25"}');
INSERT INTO meetings VALUES (26, NULL, 'Họp trực tuyến số 26', 'tinh-uy', 'tinh-uy', 1712800800, 1712809800, 'ended', 1, 'token:1', 1712196000, 1712196000, 1712809800, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (26, 'tinh-uy', 1712800800, 1712809800, 1);
INSERT INTO meeting_endpoints VALUES (26, 'ubnd-tinh', 1712800800, 1712809800, 1);
INSERT INTO meeting_endpoints VALUES (26, 'ubnd-vinh', 1712800800, 1712809800, 1);
INSERT INTO meeting_endpoints VALUES (26, 'ubnd-cua-lo', 1712800800, 1712809800, 1);
INSERT INTO meeting_endpoints VALUES (26, 'ubnd-thai-hoa', 1712800800, 1712809800, 1);
INSERT INTO attendance_events VALUES ('066e599d-8a32-536f-9ff2-b8ab1975e7a3', 26, 'tinh-uy', 'joined', 1712800860, NULL, 1712800861);
INSERT INTO attendance_events VALUES ('a5c92013-fb26-5114-92c0-cc0b40f342d4', 26, 'tinh-uy', 'left', 1712809740, 'ended', 1712809741);
INSERT INTO attendance_events VALUES ('4d189901-5344-5e9b-b111-c32420796619', 26, 'ubnd-tinh', 'joined', 1712800861, NULL, 1712800862);
INSERT INTO attendance_events VALUES ('563d2c6e-1119-5748-a767-816dda46b5b7', 26, 'ubnd-tinh', 'left', 1712809740, 'ended', 1712809741);
INSERT INTO attendance_events VALUES ('80d94c44-1fb8-5d0d-bc17-204b794175c9', 26, 'ubnd-vinh', 'joined', 1712800862, NULL, 1712800863);
INSERT INTO attendance_events VALUES ('f3bdfcd6-31e3-52ee-8794-8a7fd55cd979', 26, 'ubnd-vinh', 'left', 1712809740, 'ended', 1712809741);
INSERT INTO attendance_events VALUES ('25314eaa-fd6d-5eaa-a76e-eeedeb7f84ff', 26, 'ubnd-cua-lo', 'joined', 1712800863, NULL, 1712800864);
INSERT INTO attendance_events VALUES ('b121b771-a14c-5c7a-84cb-e1c32471c16a', 26, 'ubnd-cua-lo', 'left', 1712809740, 'ended', 1712809741);
INSERT INTO attendance_events VALUES ('fdbcd577-1ff5-5d95-8715-2e5cb5a8ac0e', 26, 'ubnd-thai-hoa', 'joined', 1712800864, NULL, 1712800865);
INSERT INTO attendance_events VALUES ('9dff5a78-93c7-5638-b91f-d7c551712729', 26, 'ubnd-thai-hoa', 'left', 1712809740, 'ended', 1712809741);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1712196000, 'token:1', 'create', 26, '{"title":"Họp trực tuyến số 26"}');
INSERT INTO meetings VALUES (27, NULL, 'Họp trực tuyến số 27', 'tinh-uy', 'tinh-uy', 1714878000, 1714887000, 'ended', 1, 'token:1', 1714273200, 1714273200, 1714887000, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (27, 'tinh-uy', 1714878000, 1714887000, 1);
INSERT INTO meeting_endpoints VALUES (27, 'ubnd-tinh', 1714878000, 1714887000, 1);
INSERT INTO meeting_endpoints VALUES (27, 'ubnd-vinh', 1714878000, 1714887000, 1);
INSERT INTO meeting_endpoints VALUES (27, 'ubnd-cua-lo', 1714878000, 1714887000, 1);
INSERT INTO meeting_endpoints VALUES (27, 'ubnd-thai-hoa', 1714878000, 1714887000, 1);
INSERT INTO attendance_events VALUES ('9fec6a2e-43f1-5bcf-8de9-65b833424011', 27, 'tinh-uy', 'joined', 1714878060, NULL, 1714878061);
INSERT INTO attendance_events VALUES ('4b4c4878-aa9b-546d-9ac8-4c0d1fa17340', 27, 'tinh-uy', 'left', 1714886940, 'ended', 1714886941);
INSERT INTO attendance_events VALUES ('868d097f-40d5-5413-baa8-12dc92145cc5', 27, 'ubnd-tinh', 'joined', 1714878061, NULL, 1714878062);
INSERT INTO attendance_events VALUES ('60653bad-90de-58fb-ba46-44a057334261', 27, 'ubnd-tinh', 'left', 1714886940, 'ended', 1714886941);
INSERT INTO attendance_events VALUES ('0fca729f-1d56-5fe6-91b6-27ac994f6143', 27, 'ubnd-vinh', 'joined', 1714878062, NULL, 1714878063);
INSERT INTO attendance_events VALUES ('c1e8a3e0-da6b-5614-9944-54d9f0f1a53a', 27, 'ubnd-vinh', 'left', 1714886940, 'ended', 1714886941);
INSERT INTO attendance_events VALUES ('b227d170-9395-5954-9336-ca53bc6c5be8', 27, 'ubnd-cua-lo', 'joined', 1714878063, NULL, 1714878064);
INSERT INTO attendance_events VALUES ('8030bcab-dc16-5811-87bc-9a4da5df5052', 27, 'ubnd-cua-lo', 'left', 1714886940, 'ended', 1714886941);
INSERT INTO attendance_events VALUES ('8c725d7c-fbfd-5617-a4eb-a0f0e24e8684', 27, 'ubnd-thai-hoa', 'joined', 1714878064, NULL, 1714878065);
INSERT INTO attendance_events VALUES ('7d38c379-4cf7-5c9f-9d29-94fe1e91610e', 27, 'ubnd-thai-hoa', 'left', 1714886940, 'ended', 1714886941);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1714273200, 'token:1', 'create', 27, '{"title":"Họp trực tuyến số 27"}');
INSERT INTO meetings VALUES (28, NULL, 'Họp trực tuyến số 28', 'tinh-uy', 'tinh-uy', 1715302800, 1715311800, 'ended', 1, 'token:1', 1714698000, 1714698000, 1715311800, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (28, 'tinh-uy', 1715302800, 1715311800, 1);
INSERT INTO meeting_endpoints VALUES (28, 'ubnd-tinh', 1715302800, 1715311800, 1);
INSERT INTO meeting_endpoints VALUES (28, 'ubnd-vinh', 1715302800, 1715311800, 1);
INSERT INTO meeting_endpoints VALUES (28, 'ubnd-cua-lo', 1715302800, 1715311800, 1);
INSERT INTO meeting_endpoints VALUES (28, 'ubnd-thai-hoa', 1715302800, 1715311800, 1);
INSERT INTO attendance_events VALUES ('63f5d1d5-fd94-5995-9e84-7db4c7e0ab43', 28, 'tinh-uy', 'joined', 1715302860, NULL, 1715302861);
INSERT INTO attendance_events VALUES ('727ae83d-9cd2-5c57-b3b8-8d47c097bddd', 28, 'tinh-uy', 'left', 1715311740, 'ended', 1715311741);
INSERT INTO attendance_events VALUES ('ea746643-b7aa-5be6-b757-aeb77c1267d9', 28, 'ubnd-tinh', 'joined', 1715302861, NULL, 1715302862);
INSERT INTO attendance_events VALUES ('47ae1e77-0ef2-503c-b5ae-e45bb6b43b4c', 28, 'ubnd-tinh', 'left', 1715311740, 'ended', 1715311741);
INSERT INTO attendance_events VALUES ('a4765f71-8c0e-5443-8ce3-ef78a7b9ff71', 28, 'ubnd-vinh', 'joined', 1715302862, NULL, 1715302863);
INSERT INTO attendance_events VALUES ('10d21849-52e2-56c2-b1f6-c241a3336c58', 28, 'ubnd-vinh', 'left', 1715311740, 'ended', 1715311741);
INSERT INTO attendance_events VALUES ('d50330d8-0777-50e1-8d6b-afec3da20c60', 28, 'ubnd-cua-lo', 'joined', 1715302863, NULL, 1715302864);
INSERT INTO attendance_events VALUES ('5ffa70f8-128c-5c18-84b0-f68398f9cd42', 28, 'ubnd-cua-lo', 'left', 1715311740, 'ended', 1715311741);
INSERT INTO attendance_events VALUES ('32f5c52f-03cd-50e4-a817-3790422b7a8e', 28, 'ubnd-thai-hoa', 'joined', 1715302864, NULL, 1715302865);
INSERT INTO attendance_events VALUES ('2bc16b82-a1fb-504b-844d-7479cd7ad621', 28, 'ubnd-thai-hoa', 'left', 1715311740, 'ended', 1715311741);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1714698000, 'token:1', 'create', 28, '{"title":"Họp trực tuyến số 28"}');
INSERT INTO meetings VALUES (29, NULL, 'Họp trực tuyến số 29', 'so-tttt', 'so-tttt', 1717466400, 1717475400, 'ended', 1, 'token:1', 1716861600, 1716861600, 1717475400, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (29, 'tinh-uy', 1717466400, 1717475400, 1);
INSERT INTO meeting_endpoints VALUES (29, 'ubnd-tinh', 1717466400, 1717475400, 1);
INSERT INTO meeting_endpoints VALUES (29, 'ubnd-vinh', 1717466400, 1717475400, 1);
INSERT INTO meeting_endpoints VALUES (29, 'ubnd-cua-lo', 1717466400, 1717475400, 1);
INSERT INTO meeting_endpoints VALUES (29, 'ubnd-thai-hoa', 1717466400, 1717475400, 1);
INSERT INTO attendance_events VALUES ('07631bf2-9cf5-502b-b844-d316cb9bd824', 29, 'tinh-uy', 'joined', 1717466460, NULL, 1717466461);
INSERT INTO attendance_events VALUES ('793767f9-a817-5e1d-9f26-6d537fc15dff', 29, 'tinh-uy', 'left', 1717475340, 'ended', 1717475341);
INSERT INTO attendance_events VALUES ('3c6419f2-f133-547e-aad9-5d471dbd5896', 29, 'ubnd-tinh', 'joined', 1717466461, NULL, 1717466462);
INSERT INTO attendance_events VALUES ('ba0e2752-adc5-50af-9e65-828a3e650916', 29, 'ubnd-tinh', 'left', 1717475340, 'ended', 1717475341);
INSERT INTO attendance_events VALUES ('f23d69c3-4706-562e-813a-03b8fae22d6a', 29, 'ubnd-vinh', 'joined', 1717466462, NULL, 1717466463);
INSERT INTO attendance_events VALUES ('34857cf2-1cac-5149-a90d-f61b4e22f2d1', 29, 'ubnd-vinh', 'left', 1717475340, 'ended', 1717475341);
INSERT INTO attendance_events VALUES ('6df87fd8-9f18-5c9c-a734-19af55ad34af', 29, 'ubnd-cua-lo', 'joined', 1717466463, NULL, 1717466464);
INSERT INTO attendance_events VALUES ('08796fd5-bab0-5cac-b048-30dfb380e1a5', 29, 'ubnd-cua-lo', 'left', 1717475340, 'ended', 1717475341);
INSERT INTO attendance_events VALUES ('d7d0522f-d0e0-585b-9a60-0f6f9eea297b', 29, 'ubnd-thai-hoa', 'joined', 1717466464, NULL, 1717466465);
INSERT INTO attendance_events VALUES ('92055c5e-e517-5ce5-8952-710ea88f5c42', 29, 'ubnd-thai-hoa', 'left', 1717475340, 'ended', 1717475341);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1716861600, 'token:1', 'create', 29, '{"title":"Họp trực tuyến số 29"}');
INSERT INTO meetings VALUES (30, NULL, 'Họp trực tuyến số 30', 'so-tc', 'ubnd-tinh', 1718161200, 1718170200, 'ended', 1, 'token:1', 1717556400, 1717556400, 1718170200, 0, 1, 8880, 5, 5);
INSERT INTO meeting_endpoints VALUES (30, 'tinh-uy', 1718161200, 1718170200, 1);
INSERT INTO meeting_endpoints VALUES (30, 'ubnd-tinh', 1718161200, 1718170200, 1);
INSERT INTO meeting_endpoints VALUES (30, 'ubnd-vinh', 1718161200, 1718170200, 1);
INSERT INTO meeting_endpoints VALUES (30, 'ubnd-cua-lo', 1718161200, 1718170200, 1);
INSERT INTO meeting_endpoints VALUES (30, 'ubnd-thai-hoa', 1718161200, 1718170200, 1);
INSERT INTO attendance_events VALUES ('4bca16e5-80f3-50b2-a02f-79a0e63b3105', 30, 'tinh-uy', 'joined', 1718161260, NULL, 1718161261);
INSERT INTO attendance_events VALUES ('9cc973a0-7f0e-5030-b4d6-5bced2cb0bf0', 30, 'tinh-uy', 'left', 1718170140, 'ended', 1718170141);
INSERT INTO attendance_events VALUES ('f99689bb-60d7-5f90-931f-071e55579401', 30, 'ubnd-tinh', 'joined', 1718161261, NULL, 1718161262);
INSERT INTO attendance_events VALUES ('06ea8420-3262-58d5-bc75-29b0934740ae', 30, 'ubnd-tinh', 'left', 1718170140, 'ended', 1718170141);
INSERT INTO attendance_events VALUES ('c419577f-c83e-5e75-a94e-8a7a77c75875', 30, 'ubnd-vinh', 'joined', 1718161262, NULL, 1718161263);
INSERT INTO attendance_events VALUES ('7f97757e-43dc-5138-b8d4-61f3c9239c69', 30, 'ubnd-vinh', 'left', 1718170140, 'ended', 1718170141);
INSERT INTO attendance_events VALUES ('f8fa2559-3258-57c1-b1de-c12461c830e5', 30, 'ubnd-cua-lo', 'joined', 1718161263, NULL, 1718161264);
INSERT INTO attendance_events VALUES ('ba7e2105-85c3-5032-baff-e76323d2f102', 30, 'ubnd-cua-lo', 'left', 1718170140, 'ended', 1718170141);
INSERT INTO attendance_events VALUES ('478f36f0-92ed-54f9-9549-c8c915edac59', 30, 'ubnd-thai-hoa', 'joined', 1718161264, NULL, 1718161265);
INSERT INTO attendance_events VALUES ('96eed9a2-8c53-516b-ac7e-4d8f2ea986f4', 30, 'ubnd-thai-hoa', 'left', 1718170140, 'ended', 1718170141);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1717556400, 'token:1', 'create', 30, '{"title":"Họp trực tuyến số 30"}');
INSERT INTO meetings VALUES (31, NULL, 'Họp trực tuyến số 31', 'so-tttt', 'so-tttt', 1710900000, 1710903600, 'cancelled', 2, 'token:1', 1710295200, 1710813600, NULL, 0, 0, 0, 0, 5);
INSERT INTO meeting_endpoints VALUES (31, 'tinh-uy', 1710900000, 1710903600, 0);
INSERT INTO meeting_endpoints VALUES (31, 'ubnd-tinh', 1710900000, 1710903600, 0);
INSERT INTO meeting_endpoints VALUES (31, 'ubnd-vinh', 1710900000, 1710903600, 0);
INSERT INTO meeting_endpoints VALUES (31, 'ubnd-cua-lo', 1710900000, 1710903600, 0);
INSERT INTO meeting_endpoints VALUES (31, 'ubnd-thai-hoa', 1710900000, 1710903600, 0);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1710295200, 'token:1', 'create', 31, '{"title":"Họp trực tuyến số 31"}');
INSERT INTO meetings VALUES (32, NULL, 'Họp trực tuyến số 32', 'so-tttt', 'so-tttt', 1712023200, 1712026800, 'displaced', 1, 'token:1', 1711418400, 1711418400, NULL, 0, 0, 0, 0, 5);
INSERT INTO meeting_endpoints VALUES (32, 'tinh-uy', 1712023200, 1712026800, 0);
INSERT INTO meeting_endpoints VALUES (32, 'ubnd-tinh', 1712023200, 1712026800, 0);
INSERT INTO meeting_endpoints VALUES (32, 'ubnd-vinh', 1712023200, 1712026800, 0);
INSERT INTO meeting_endpoints VALUES (32, 'ubnd-cua-lo', 1712023200, 1712026800, 0);
INSERT INTO meeting_endpoints VALUES (32, 'ubnd-thai-hoa', 1712023200, 1712026800, 0);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1711418400, 'token:1', 'create', 32, '{"title":"Họp trực tuyến số 32"}');
INSERT INTO meetings VALUES (33, 1, 'Họp trực tuyến số 33', 'ubnd-tinh', 'ubnd-tinh', 1898816400, 1898823600, 'scheduled', 1, 'token:1', 1898211600, 1898211600, NULL, 0, 0, 0, 0, 5);
INSERT INTO meeting_endpoints VALUES (33, 'tinh-uy', 1898816400, 1898823600, 1);
INSERT INTO meeting_endpoints VALUES (33, 'ubnd-tinh', 1898816400, 1898823600, 1);
INSERT INTO meeting_endpoints VALUES (33, 'ubnd-vinh', 1898816400, 1898823600, 1);
INSERT INTO meeting_endpoints VALUES (33, 'ubnd-cua-lo', 1898816400, 1898823600, 1);
INSERT INTO meeting_endpoints VALUES (33, 'ubnd-thai-hoa', 1898816400, 1898823600, 1);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1898211600, 'token:1', 'create', 33, '{"title":"Họp trực tuyến số 33"}');
INSERT INTO meetings VALUES (34, 1, 'Họp trực tuyến số 34', 'ubnd-tinh', 'ubnd-tinh', 1899421200, 1899428400, 'scheduled', 1, 'token:1', 1898816400, 1898816400, NULL, 0, 0, 0, 0, 5);
INSERT INTO meeting_endpoints VALUES (34, 'tinh-uy', 1899421200, 1899428400, 1);
INSERT INTO meeting_endpoints VALUES (34, 'ubnd-tinh', 1899421200, 1899428400, 1);
INSERT INTO meeting_endpoints VALUES (34, 'ubnd-vinh', 1899421200, 1899428400, 1);
INSERT INTO meeting_endpoints VALUES (34, 'ubnd-cua-lo', 1899421200, 1899428400, 1);
INSERT INTO meeting_endpoints VALUES (34, 'ubnd-thai-hoa', 1899421200, 1899428400, 1);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1898816400, 'token:1', 'create', 34, '{"title":"Họp trực tuyến số 34"}');
INSERT INTO meetings VALUES (35, 1, 'Họp trực tuyến số 35', 'ubnd-tinh', 'ubnd-tinh', 1900026000, 1900033200, 'scheduled', 1, 'token:1', 1899421200, 1899421200, NULL, 0, 0, 0, 0, 5);
INSERT INTO meeting_endpoints VALUES (35, 'tinh-uy', 1900026000, 1900033200, 1);
INSERT INTO meeting_endpoints VALUES (35, 'ubnd-tinh', 1900026000, 1900033200, 1);
INSERT INTO meeting_endpoints VALUES (35, 'ubnd-vinh', 1900026000, 1900033200, 1);
INSERT INTO meeting_endpoints VALUES (35, 'ubnd-cua-lo', 1900026000, 1900033200, 1);
INSERT INTO meeting_endpoints VALUES (35, 'ubnd-thai-hoa', 1900026000, 1900033200, 1);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1899421200, 'token:1', 'create', 35, '{"title":"Họp trực tuyến số 35"}');
INSERT INTO meetings VALUES (36, 1, 'Họp trực tuyến số 36', 'ubnd-tinh', 'ubnd-tinh', 1900630800, 1900638000, 'scheduled', 1, 'token:1', 1900026000, 1900026000, NULL, 0, 0, 0, 0, 5);
INSERT INTO meeting_endpoints VALUES (36, 'tinh-uy', 1900630800, 1900638000, 1);
INSERT INTO meeting_endpoints VALUES (36, 'ubnd-tinh', 1900630800, 1900638000, 1);
INSERT INTO meeting_endpoints VALUES (36, 'ubnd-vinh', 1900630800, 1900638000, 1);
INSERT INTO meeting_endpoints VALUES (36, 'ubnd-cua-lo', 1900630800, 1900638000, 1);
INSERT INTO meeting_endpoints VALUES (36, 'ubnd-thai-hoa', 1900630800, 1900638000, 1);
INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES (1900026000, 'token:1', 'create', 36, '{"title":"Họp trực tuyến số 36"}');
INSERT INTO tokens VALUES (1, 'bd1a6378e1c090a935ba785556250d7cf8ca1096a327534bcd7cc395b2f09fa2', 'admin', NULL, NULL, 'Quản trị (fixture)', 1546394400, 0);
INSERT INTO tokens VALUES (2, 'fe522693b854b3c8dfeb59779a0b50b054b264d619928f93f23a4c9303029541', 'secretariat', 'ubnd-tinh', NULL, 'Văn phòng UBND tỉnh', 1546394400, 0);
INSERT INTO tokens VALUES (3, 'ed714ca8e5c3c32f00ed22f47397d1e4413ab802f433b30d962d71ac4a187587', 'manager', NULL, NULL, 'Sở TT&TT', 1546394400, 0);
INSERT INTO tokens VALUES (4, '06ce0a02a1994449d0ff195de499f17b615e8fab573884ce463798a47e268093', 'endpoint', NULL, 'ubnd-vinh', 'Agent UBND TP Vinh', 1546394400, 0);
INSERT INTO tokens VALUES (5, '9bcb3d15491ea7187ad5f902f6abba235f206f0ab6853a061fee4dfacde02aae', 'secretariat', 'so-tc', NULL, 'Văn phòng Sở TC (thu hồi)', 1546394400, 1);
INSERT INTO join_links VALUES (1, 31, 'Lãnh đạo đi công tác', 'token:2', 1717207200, 1719741600);
PRAGMA user_version = 1;
COMMIT;
