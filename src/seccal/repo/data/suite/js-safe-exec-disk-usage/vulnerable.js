function folderSizeKb(dir) {
  const out = execSync(`du -sk ${dir}`, { encoding: 'utf8' });
  return parseInt(out.split('\t')[0], 10);
}
