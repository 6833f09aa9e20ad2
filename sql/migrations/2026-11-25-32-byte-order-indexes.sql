-- The MCP server lists containers fleet-wide worst first, then by device and name in byte order
-- (COLLATE "C": the order it merges live rows in, whatever the database's locale). The problem
-- containers are few and sorted whole; the healthy running majority comes in index order from these
-- two indexes instead of a sort of every container (bench/mcp: 10,000 containers, 11 ms -> 0.3 ms).
CREATE INDEX devices_hostname_bytes_idx ON devices (hostname COLLATE "C");
CREATE INDEX docker_containers_name_bytes_idx ON docker_containers (device_id, name COLLATE "C");
