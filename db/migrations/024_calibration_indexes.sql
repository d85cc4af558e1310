-- Panel calibration reads a whole region's submitted ratings, and a panelist's own: the
-- evaluations by CPTS and by panelist, the panels and scorecard criteria by CPTS.
CREATE INDEX evaluations_organisation ON evaluations(organisation_id, status);
CREATE INDEX evaluations_panelist ON evaluations(panelist_user_id, status);
CREATE INDEX panel_members_organisation ON panel_members(organisation_id);
CREATE INDEX scorecard_criteria_organisation ON scorecard_criteria(organisation_id);
