-- latest_state is rewritten once per device and domain every poll, with payloads of a few KiB.
-- fillfactor leaves room on each page so an update stays on its page (a HOT update: no index write);
-- toast_tuple_target keeps payloads under 8 KiB inline and uncompressed, sparing a compression per
-- write (measured with bench/ingest: TOAST compression was a visible share of PostgreSQL's CPU).
ALTER TABLE latest_state SET (fillfactor = 50, toast_tuple_target = 8160);
