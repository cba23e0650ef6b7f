/**
 * The Kysely `DB` interface: one table type per table, in the database's own shape (snake_case, JSON as
 * text, flags as 0/1 or boolean). Repositories turn these rows into the camelCase records of records.ts.
 */
import type { ColumnType, Generated } from "kysely";

/** A boolean column: integer 0/1 on SQLite, boolean on PostgreSQL. Always written as 0/1 (PG accepts it). */
export type Flag = ColumnType<number | boolean, number, number>;

/** Milliseconds since the epoch: integer on SQLite, bigint on PostgreSQL (parsed to a number). */
export type Millis = number;

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: Millis;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: Millis;
}

export interface MembershipsTable {
  organization_id: string;
  user_id: string;
  role: string;
  created_at: Millis;
}

export interface ApiClientsTable {
  id: string;
  organization_id: string;
  client_id: string;
  api_key_hash: string;
  approved: Flag;
  created_at: Millis;
  rotated_at: Millis | null;
}

export interface BotsTable {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  is_default: Flag;
  created_at: Millis;
}

export interface ChannelsTable {
  id: string;
  organization_id: string;
  bot_id: string | null;
  kind: string;
  name: string;
  external_id: string | null;
  config_json: string;
  secrets_encrypted: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface FlowsTable {
  id: string;
  organization_id: string;
  bot_id: string | null;
  name: string;
  description: string;
  graph_json: string;
  is_active: Flag;
  is_published: Flag;
  is_default: Flag;
  trigger_keywords_json: string;
  published_version_id: string | null;
  execution_count: number;
  last_executed_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
  published_at: Millis | null;
}

export interface FlowVersionsTable {
  id: string;
  organization_id: string;
  flow_id: string;
  version: number;
  graph_json: string;
  created_at: Millis;
  created_by: string | null;
}

export interface ContactsTable {
  id: string;
  organization_id: string;
  channel_id: string;
  external_id: string;
  name: string | null;
  phone: string | null;
  attributes_json: string;
  tags_json: string;
  last_inbound_at: Millis | null;
  opted_out: Flag;
  created_at: Millis;
  updated_at: Millis;
}

export interface ExecutionsTable {
  id: string;
  organization_id: string;
  flow_id: string;
  flow_version_id: string;
  contact_id: string;
  channel_id: string;
  status: string;
  current_node_id: string | null;
  state_json: string;
  trigger_json: string | null;
  error_code: string | null;
  error_message: string | null;
  error_node_id: string | null;
  started_at: Millis;
  updated_at: Millis;
  completed_at: Millis | null;
}

export interface ExecutionLogsTable {
  id: Generated<number>;
  execution_id: string;
  organization_id: string;
  node_id: string;
  node_type: string;
  action: string;
  input_json: string | null;
  output_json: string | null;
  message: string | null;
  created_at: Millis;
}

export interface InboundMessagesTable {
  id: Generated<number>;
  organization_id: string;
  channel_id: string;
  contact_id: string;
  external_message_id: string;
  payload_json: string;
  status: string;
  error: string | null;
  received_at: Millis;
  processed_at: Millis | null;
}

export interface OutboundMessagesTable {
  id: Generated<number>;
  organization_id: string;
  channel_id: string;
  contact_id: string;
  execution_id: string | null;
  node_id: string | null;
  payload_json: string;
  status: string;
  attempts: number;
  next_attempt_at: Millis;
  provider_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: Millis;
  updated_at: Millis;
  sent_at: Millis | null;
  delivered_at: Millis | null;
  read_at: Millis | null;
}

export interface TimersTable {
  id: string;
  organization_id: string;
  execution_id: string;
  contact_id: string;
  kind: string;
  node_id: string;
  due_at: Millis;
  status: string;
  created_at: Millis;
}

export interface TemplatesTable {
  id: string;
  organization_id: string;
  channel_id: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  components_json: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface TemplateGroupsTable {
  id: string;
  organization_id: string;
  name: string;
  template_ids_json: string;
  created_at: Millis;
}

export interface LeadsTable {
  id: string;
  organization_id: string;
  flow_id: string;
  contact_id: string;
  execution_id: string | null;
  payload_json: string;
  created_at: Millis;
}

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_clients: ApiClientsTable;
  bots: BotsTable;
  channels: ChannelsTable;
  flows: FlowsTable;
  flow_versions: FlowVersionsTable;
  contacts: ContactsTable;
  executions: ExecutionsTable;
  execution_logs: ExecutionLogsTable;
  inbound_messages: InboundMessagesTable;
  outbound_messages: OutboundMessagesTable;
  timers: TimersTable;
  templates: TemplatesTable;
  template_groups: TemplateGroupsTable;
  leads: LeadsTable;
}
