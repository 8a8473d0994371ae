function applyUserSettings(defaults, json) {
  const overrides = JSON.parse(json);
  const result = safeMerge({}, defaults);
  return safeMerge(result, overrides);
}
