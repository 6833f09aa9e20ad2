/**
 * The tool names of the product's contract (issue 5), written out by hand on purpose: tests hold the
 * server's tools/list and the prompts' advice against this list, not against the registry itself.
 */
export const CONTRACT_TOOLS: readonly string[] = [
  "list_containers",
  "get_container_details",
  "get_container_logs",
  "get_service_dependencies",
  "get_system_metrics",
  "get_drive_health",
  "get_system_logs",
  "get_zfs_status",
  "get_zfs_snapshots",
  "verify_zfs_integrity",
  "get_network_topology",
  "list_docker_networks",
  "get_backup_status",
  "check_updates",
  "list_devices",
  "get_device_info",
  "get_vm_status",
  "get_ups_status",
  "analyze_infrastructure_health",
  "list_alerts",
  "acknowledge_alert",
  "mute_alerts",
  "unmute_alerts",
];
