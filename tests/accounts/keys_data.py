"""Public keys made with ``ssh-keygen`` and the fingerprints ``ssh-keygen -lf`` printed for them."""

ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBw0HAI1xaDIPmHevKlW39jNjWlHlJduoJ/25sIBeBBu alice@laptop"
ED25519_FINGERPRINT = "SHA256:sfaw+AbP2OqorBSVM5DjGeIIQVYT3fdb039MoFTqQgk"

RSA_3072 = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC8ZUzB+dM+5YbjsgBbcZgv5R9a7pQvMJZUaZdT2DcfvbMdBj6vOi0MvHu7rumEFiiwTbfBeUhw"
    "34X//8DwZhHoiZzHFQ33dzDGMc1me3qwa6phb21roenhSF/UHC8JH0y3EgX0VNBR4ul+LDn18vojQtnYe/Le4aHjxPGSVHFVlg43UVCNwBtXOpZP"
    "f9tFvn2JilnRDKfgB9KNYUUelGYfv7Nd7JpI26t+AyCEKDJFKUoOB1glaJWoz7XOZABtTJE0aToFYN5uz2h1r0CKFpAKaeSYSuXFYS9VFGZhCK6MM"
    "NqE0XJBnlU0ZlrAf/yhH21/7s2cWy5r2WCb9b8pFwrfdx4DHeyYjch2B+NFsZe3ATLGn0b0T35QQX2Phbo58BkoknlH3YJoSAG5MbPUAx/yrKpO6M"
    "vRoOLVtqJo6FmQNszD5SowVLd+bk91NMZn105y7n+ByL3ibjsPKbuGn9d+BpSODFf67J7CN92ucNKZYjMztT8Z5+T6y9gFNIBOmoU= bob@ci"
)
RSA_3072_FINGERPRINT = "SHA256:lTroE+ZQDLzILGc8evztmv80LjZCevymZIQqV+FVGWI"

ECDSA_384 = (
    "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBPEwPgHx8lwFI4F1InKGT7DloIjIdSiiy9CC+iT"
    "11NwBL04GBvGtCvwPb8G3jEJ85w1709jYR/nSBrHfyRuWqb+mvSjimzqFJLmdqKeIMV61xgeGra0KojxvvUDcpNeyag=="
)
ECDSA_384_FINGERPRINT = "SHA256:6UDH/83zDSfbePdEZSKuF2uGWoZP1dkG07YQ/NdmRLg"

# The ordinary demo account's two seeded keys (sandbox.seed), as ``ssh-keygen -lf`` prints them.
SEEDED_ORDINARY_KEYS = {
    "laptop": "SHA256:HQhQL+jaE67lFvdtBWHJ4kCaU2ZCSz+PSjm770HK5mM",
    "workstation": "SHA256:Uml0hb1UHL+jZqdXH9x5cnCwrEq0S4e32ql3ezurIeU",
}
