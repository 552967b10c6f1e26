"""The R&D&I marketplace: members' technology and business offers and requests, reviewed by the
cluster's staff, published (anonymously unless the owner opts in), matched and answered."""
