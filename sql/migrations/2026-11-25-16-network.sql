-- How each device is connected (the network domain), as its newest collection says: enough for a
-- cross-device topology. Addresses are text in inet syntax with their prefix ('192.0.2.2/24'), so
-- shared subnets are a join on network(address::inet) (indexed below for the GiST && operator);
-- neighbours and peers point at other devices' addresses.
-- network_state.collected_at orders the writes: an older envelope changes no table. A source that
-- failed in the newest collection keeps its previous rows (source_errors says which failed).

CREATE TABLE network_state (
  device_id               integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  collected_at            timestamptz NOT NULL,
  default_gateways        text[],
  dns_servers             text[],
  dns_search              text[],
  dns_source              text,
  tailscale_backend_state text,
  source_errors           jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE network_interfaces (
  device_id integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  name      text NOT NULL,
  mac       text,
  mtu       integer,
  state     text NOT NULL,
  link_type text NOT NULL,
  master    text,
  PRIMARY KEY (device_id, name)
);

CREATE TABLE network_addresses (
  device_id  integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  interface  text NOT NULL,
  family     text NOT NULL CHECK (family IN ('inet', 'inet6')),
  address    text NOT NULL,
  scope      text NOT NULL,
  PRIMARY KEY (device_id, interface, address)
);
CREATE INDEX network_addresses_address_idx ON network_addresses USING gist ((address::inet) inet_ops);

CREATE TABLE network_routes (
  device_id integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  ordinal   integer NOT NULL,
  family    text NOT NULL CHECK (family IN ('inet', 'inet6')),
  dst       text NOT NULL,
  gateway   text,
  dev       text,
  protocol  text,
  metric    bigint,
  prefsrc   text,
  PRIMARY KEY (device_id, ordinal)
);

CREATE TABLE network_neighbours (
  device_id integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  dev       text NOT NULL,
  address   text NOT NULL,
  mac       text,
  state     text NOT NULL,
  PRIMARY KEY (device_id, dev, address)
);
CREATE INDEX network_neighbours_address_idx ON network_neighbours (address);

CREATE TABLE listening_ports (
  device_id integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  protocol  text NOT NULL CHECK (protocol IN ('tcp', 'udp')),
  address   text NOT NULL,
  port      integer NOT NULL CHECK (port BETWEEN 0 AND 65535),
  process   text,
  pid       integer,
  PRIMARY KEY (device_id, protocol, address, port)
);

-- Tailscale peers and LLDP neighbours: other devices this one sees.
CREATE TABLE network_peers (
  device_id       integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  source          text NOT NULL CHECK (source IN ('tailscale', 'lldp')),
  ordinal         integer NOT NULL,
  name            text,
  local_interface text,
  remote_port     text,
  addresses       text[] NOT NULL DEFAULT '{}',
  os              text,
  status          text CHECK (status IN ('online', 'offline')),
  last_seen       timestamptz,
  PRIMARY KEY (device_id, source, ordinal)
);
