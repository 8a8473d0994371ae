function folderSizeKb(dir) {
  const out = runTool('du', ['-sk', '--', dir]);
  return parseInt(out.split('\t')[0], 10);
}
