-- What the MCP server needs to run a device's collectors live over SSH the way its agent runs them:
-- the agent.json sections that matter there (`domains` options such as the docker socket or backup
-- probes, and `roots`), in agent.json's own shape. Empty means the agent's defaults.
ALTER TABLE devices ADD COLUMN live_config jsonb NOT NULL DEFAULT '{}';
