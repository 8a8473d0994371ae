func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	path, err := safepath.Join(s.Root, r.URL.Query().Get("file"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}
