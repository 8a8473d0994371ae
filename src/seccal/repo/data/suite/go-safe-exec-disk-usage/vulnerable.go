func DiskUsageKB(dir string) (int, error) {
	out, err := exec.Command("sh", "-c", "du -sk "+dir).Output()
	if err != nil {
		return 0, err
	}
	fields := strings.Fields(string(out))
	if len(fields) == 0 {
		return 0, fmt.Errorf("unexpected du output %q", out)
	}
	return strconv.Atoi(fields[0])
}
