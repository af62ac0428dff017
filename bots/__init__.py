"""The four robots as data, and the application that trains and serves them."""
