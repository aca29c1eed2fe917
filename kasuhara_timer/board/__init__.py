"""The supervisors' live board: every running session in the data folder, from every desk."""
