-- tekser store, version 110: what a supplier supplies, as the portal says.
--
-- p.3 item 9 of order No. 285 asks for a licence only «for an activity that needs one»; which
-- activity a supplier carries on follows from the goods and services it supplies, which only
-- the portal knows (PUT /v1/suppliers/{id} `services`: the portal's codes). The rule set maps
-- each code to the licensed activities it needs. NULL: the portal has not said (then item 9 is
-- unknown, never a fail).
ALTER TABLE suppliers
  ADD COLUMN services text[] CHECK (
    services IS NULL OR (array_position(services, NULL) IS NULL AND cardinality(services) <= 200));
