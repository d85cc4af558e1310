-- A CPTS's members of one role (its coordinators: the regional dashboard's names, the network's
-- coordinators without a mentor) are read by (organisation, role); the index on the organisation
-- alone made SQLite read every member of the region's CPTS and their users to keep a few
-- (bench, region of 77 CPTS: 200 -> 157 and 176 -> 139 µs for the two statements).
CREATE INDEX memberships_organisation_role ON memberships(organisation_id, role);
DROP INDEX memberships_organisation;
