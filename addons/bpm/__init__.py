"""The bpm addon: status flows (statuses, transitions, rules, actions, deadlines) for any document model."""
