-- The address picker lists a region's districts, and a district's
-- localities, with a loose index scan (residence.Reader.AddressFacet): it
-- needs the district right after the region in an index.
-- premises_address_idx (region, locality, street, building, unit) serves
-- the other steps.
CREATE INDEX premises_district_idx ON premises (region, district, locality);
