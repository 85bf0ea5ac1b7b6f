"""Text handling: normalisation of user input and tokenisation for retrieval."""
