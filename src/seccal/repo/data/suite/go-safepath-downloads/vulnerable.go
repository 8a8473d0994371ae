func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	data, err := os.ReadFile(filepath.Join(s.Root, r.URL.Query().Get("file")))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}
