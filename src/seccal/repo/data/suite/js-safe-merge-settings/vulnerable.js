function applyUserSettings(defaults, json) {
  const overrides = JSON.parse(json);
  const merge = (dst, src) => {
    for (const key in src) {
      if (isPlainObject(src[key])) {
        if (!isPlainObject(dst[key])) dst[key] = {};
        merge(dst[key], src[key]);
      } else {
        dst[key] = src[key];
      }
    }
    return dst;
  };
  return merge(merge({}, defaults), overrides);
}
