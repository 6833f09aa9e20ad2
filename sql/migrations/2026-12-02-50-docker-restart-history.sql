-- The fleet health check finds restart loops by the restart count rising between samples, and the
-- only container history is docker_container_stats: each sample now keeps the container's restart
-- count beside its figures. Null in rows written before this column existed (and by older
-- collectors); the rule reads only rows that have it. A nullable column without a default is a
-- catalog change on plain PostgreSQL and on a TimescaleDB hypertable, compressed chunks included.
ALTER TABLE docker_container_stats ADD COLUMN restart_count integer;
