"""
Fixed data for the X509Req / CRL tests.

GOLDEN_KEY / GOLDEN_CERT were made with the openssl CLI. The REQ_* and CRL_*
values were produced by pyOpenSSL 23.0.0 (Debian 12, OpenSSL 3.0) running
make_golden_req() / make_golden_crl() of test_crypto_req.py and
test_crypto_crl.py on these inputs; RSA PKCS#1 v1.5 signatures are
deterministic, so the same API calls must give the same bytes.
OPENSSL_CA_CRL was made with `openssl ca -gencrl` (3 entries: reasons
keyCompromise, removeFromCRL, and keyCompromise with an invalidity date;
CRL extensions authorityKeyIdentifier and crlNumber).
OPENSSL_REQ was made with `openssl req -new` (challengePassword and
unstructuredName attributes; subjectAltName and extendedKeyUsage).
"""

GOLDEN_KEY = b"""\
-----BEGIN PRIVATE KEY-----
MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMPCQ7Iy2kvOFZWP
27jDjhgGS13nUzvN2vvea/QFuqLDC+JIRoMOvKA5OgsGx96eIh4QEZv4zlWU8x2A
HlNRnYdsHZSBhhpbyxah2vbNjv01vzUcz9QH4QgXPhB7tRa1QFT7wttIgo0FjbZQ
4uOaBsqjUzodeWZfw8KePUjBU8G9AgMBAAECgYEAh/updN74XxIwUi2VbvqA+VVe
A0QOwItWJAI0sVVNeYTN+4lDWgThqNc357L1IkJs5r84zEUAZ9jJLOPzrOMT7mcw
SRylmzOYohj+VG3V3bb+PiRA90zq2shct5XwxHutvRzG0JUOw3Xk4ZPIeW9ioKE6
y8DhIBqHeEW/Gk8n/wECQQD1OfvaqKDRL6rj5d+QDqs4Vpj+iSPM7mnrjW+RZ8bJ
3ETz1G64FLMHrAmO0O3hNK7sind5xdsN9IEgCVrzpjdBAkEAzFvtYNK2cMH/kap+
3AxPD5mmVT49Nldk+CqndQEB6SmtX4lx2z1E4Ys8l6L162hOW6xio/0i3+gg9Jfm
O6gHfQJASlaghaGW1rMnj9yQkCASQYrm6Ep0gtxHWbPPfXnDJlBSysO8KKuFti6t
2xB0/E83M9ep7k1PYYScXDTZ0ICzwQJAQjTGAshBMuam1ZpW3xNdycANkzBGxIQr
wfqPpehdphxKftkYed6voiJpzvaMlWeFe02t51LrKX8ariNIA6u8QQJBAIAjyD2w
J7p14Gv5lq2zSq5Eg2nMvBYDDwbiPScS8Ryk8vNR4gHjGY+/jkcsrN1/FT8HjgO7
O5ri1MjVv3JPYLo=
-----END PRIVATE KEY-----
"""

GOLDEN_CERT = b"""\
-----BEGIN CERTIFICATE-----
MIICPjCCAaegAwIBAgICEjQwDQYJKoZIhvcNAQELBQAwOjELMAkGA1UEBhMCVVMx
EjAQBgNVBAoMCUdvbGRlbiBDQTEXMBUGA1UEAwwOZ29sZGVuLmV4YW1wbGUwHhcN
MjYxMTI3MDMwNDI3WhcNMzYxMTI0MDMwNDI3WjA6MQswCQYDVQQGEwJVUzESMBAG
A1UECgwJR29sZGVuIENBMRcwFQYDVQQDDA5nb2xkZW4uZXhhbXBsZTCBnzANBgkq
hkiG9w0BAQEFAAOBjQAwgYkCgYEAw8JDsjLaS84VlY/buMOOGAZLXedTO83a+95r
9AW6osML4khGgw68oDk6CwbH3p4iHhARm/jOVZTzHYAeU1Gdh2wdlIGGGlvLFqHa
9s2O/TW/NRzP1AfhCBc+EHu1FrVAVPvC20iCjQWNtlDi45oGyqNTOh15Zl/Dwp49
SMFTwb0CAwEAAaNTMFEwHQYDVR0OBBYEFMHe2hUTk/8vkrHAWzg2bGUph/UkMB8G
A1UdIwQYMBaAFMHe2hUTk/8vkrHAWzg2bGUph/UkMA8GA1UdEwEB/wQFMAMBAf8w
DQYJKoZIhvcNAQELBQADgYEAfIJl+oK3ZOLyJUePEDdyYGgiWL3vkRC5wqv4XNMW
nEmdezMiqvkCp2JO4NardzxwbGufBemUIOwZydjyOEInhy2Is7tZA+imAFAx7zso
m64/c7O2BeUWyGRX2ijyrmBy8snyNkyhb9SzA8AjxQ/ciOnIh7YkpLM8Ecs/QqsO
vEg=
-----END CERTIFICATE-----
"""

REQ_PEM = b"""\
-----BEGIN CERTIFICATE REQUEST-----
MIIBojCCAQsCAQAwYjELMAkGA1UEBhMCVVMxEzARBgNVBAoMCkdvbGRlbiBPcmcx
GzAZBgNVBAMMEnJlcS5nb2xkZW4uZXhhbXBsZTEhMB8GCSqGSIb3DQEJARYScmVx
QGdvbGRlbi5leGFtcGxlMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDDwkOy
MtpLzhWVj9u4w44YBktd51M7zdr73mv0BbqiwwviSEaDDrygOToLBsfeniIeEBGb
+M5VlPMdgB5TUZ2HbB2UgYYaW8sWodr2zY79Nb81HM/UB+EIFz4Qe7UWtUBU+8Lb
SIKNBY22UOLjmgbKo1M6HXlmX8PCnj1IwVPBvQIDAQABoAAwDQYJKoZIhvcNAQEL
BQADgYEAepcyDQp3pdn7VRHUTIkCO+gCUgWyEpJA5lXTn2s6QnlE3BIR9KlBmFfr
hFxB/HacKIl9/8oN4kZR7UqX4cq2+jhMjf/sOULzT3poTq4pVasz0EchFC15GQsv
xpI1zAobtJ3c+zlch5Rgb3JxKILnq/ByeY4ito+9eLg84As3Nws=
-----END CERTIFICATE REQUEST-----
"""

REQ_TEXT = (
    b'Certificate Request:\n'
    b'    Data:\n'
    b'        Version: 1 (0x0)\n'
    b'        Subject: C=US, O=Golden Org, CN=req.golden.example/emailAddress=req@golden.example\n'
    b'        Subject Public Key Info:\n'
    b'            Public Key Algorithm: rsaEncryption\n'
    b'                Public-Key: (1024 bit)\n'
    b'                Modulus:\n'
    b'                    00:c3:c2:43:b2:32:da:4b:ce:15:95:8f:db:b8:c3:\n'
    b'                    8e:18:06:4b:5d:e7:53:3b:cd:da:fb:de:6b:f4:05:\n'
    b'                    ba:a2:c3:0b:e2:48:46:83:0e:bc:a0:39:3a:0b:06:\n'
    b'                    c7:de:9e:22:1e:10:11:9b:f8:ce:55:94:f3:1d:80:\n'
    b'                    1e:53:51:9d:87:6c:1d:94:81:86:1a:5b:cb:16:a1:\n'
    b'                    da:f6:cd:8e:fd:35:bf:35:1c:cf:d4:07:e1:08:17:\n'
    b'                    3e:10:7b:b5:16:b5:40:54:fb:c2:db:48:82:8d:05:\n'
    b'                    8d:b6:50:e2:e3:9a:06:ca:a3:53:3a:1d:79:66:5f:\n'
    b'                    c3:c2:9e:3d:48:c1:53:c1:bd\n'
    b'                Exponent: 65537 (0x10001)\n'
    b'        Attributes:\n'
    b'            (none)\n'
    b'            Requested Extensions:\n'
    b'    Signature Algorithm: sha256WithRSAEncryption\n'
    b'    Signature Value:\n'
    b'        7a:97:32:0d:0a:77:a5:d9:fb:55:11:d4:4c:89:02:3b:e8:02:\n'
    b'        52:05:b2:12:92:40:e6:55:d3:9f:6b:3a:42:79:44:dc:12:11:\n'
    b'        f4:a9:41:98:57:eb:84:5c:41:fc:76:9c:28:89:7d:ff:ca:0d:\n'
    b'        e2:46:51:ed:4a:97:e1:ca:b6:fa:38:4c:8d:ff:ec:39:42:f3:\n'
    b'        4f:7a:68:4e:ae:29:55:ab:33:d0:47:21:14:2d:79:19:0b:2f:\n'
    b'        c6:92:35:cc:0a:1b:b4:9d:dc:fb:39:5c:87:94:60:6f:72:71:\n'
    b'        28:82:e7:ab:f0:72:79:8e:22:b6:8f:bd:78:b8:3c:e0:0b:37:\n'
    b'        37:0b\n'
)

CRL_PEM = b"""\
-----BEGIN X509 CRL-----
MIIBbTCB1wIBATANBgkqhkiG9w0BAQsFADA6MQswCQYDVQQGEwJVUzESMBAGA1UE
CgwJR29sZGVuIENBMRcwFQYDVQQDDA5nb2xkZW4uZXhhbXBsZRgPMjAyNDAxMDEw
MDAwMDBaGA8yMDI0MDIwMTAwMDAwMFowZTAUAgEDGA8yMDIzMTExNTAwMDAwMFow
IgIBChgPMjAyMzEyMDExMjAwMDBaMAwwCgYDVR0VBAMKAQEwKQIIEjRWeJCrze8Y
DzIwMjMxMTMwMjM1OTU5WjAMMAoGA1UdFQQDCgEGMA0GCSqGSIb3DQEBCwUAA4GB
AJbf5SsJVhXfKGSAOi34wBfw520ZTjYkWF/rdzezTii5OS1bDnQ2tunq56Hjjk9h
sJkXbwuPCFR9LtrUwsPUa/D7WidFJEsylCZx9/YVrNpzw1rnm9LPHc2zQ8YKcDwG
1fiCGDWeNa1iMYJvovBXsDSvsRAjdFVORZokS/umd/mP
-----END X509 CRL-----
"""

CRL_TEXT = (
    b'Certificate Revocation List (CRL):\n'
    b'        Version 2 (0x1)\n'
    b'        Signature Algorithm: sha256WithRSAEncryption\n'
    b'        Issuer: C=US, O=Golden CA, CN=golden.example\n'
    b'        Last Update: Jan  1 00:00:00 2024 GMT\n'
    b'        Next Update: Feb  1 00:00:00 2024 GMT\n'
    b'Revoked Certificates:\n'
    b'    Serial Number: 03\n'
    b'        Revocation Date: Nov 15 00:00:00 2023 GMT\n'
    b'    Serial Number: 0A\n'
    b'        Revocation Date: Dec  1 12:00:00 2023 GMT\n'
    b'        CRL entry extensions:\n'
    b'            X509v3 CRL Reason Code: \n'
    b'                Key Compromise\n'
    b'    Serial Number: 1234567890ABCDEF\n'
    b'        Revocation Date: Nov 30 23:59:59 2023 GMT\n'
    b'        CRL entry extensions:\n'
    b'            X509v3 CRL Reason Code: \n'
    b'                Certificate Hold\n'
    b'    Signature Algorithm: sha256WithRSAEncryption\n'
    b'    Signature Value:\n'
    b'        96:df:e5:2b:09:56:15:df:28:64:80:3a:2d:f8:c0:17:f0:e7:\n'
    b'        6d:19:4e:36:24:58:5f:eb:77:37:b3:4e:28:b9:39:2d:5b:0e:\n'
    b'        74:36:b6:e9:ea:e7:a1:e3:8e:4f:61:b0:99:17:6f:0b:8f:08:\n'
    b'        54:7d:2e:da:d4:c2:c3:d4:6b:f0:fb:5a:27:45:24:4b:32:94:\n'
    b'        26:71:f7:f6:15:ac:da:73:c3:5a:e7:9b:d2:cf:1d:cd:b3:43:\n'
    b'        c6:0a:70:3c:06:d5:f8:82:18:35:9e:35:ad:62:31:82:6f:a2:\n'
    b'        f0:57:b0:34:af:b1:10:23:74:55:4e:45:9a:24:4b:fb:a6:77:\n'
    b'        f9:8f\n'
)

OPENSSL_CA_CRL = b"""\
-----BEGIN X509 CRL-----
MIICMjCCARoCAQEwDQYJKoZIhvcNAQELBQAwMzELMAkGA1UEBhMCREUxEDAOBgNV
BAoMB1Rlc3QgQ0ExEjAQBgNVBAMMCVRlc3QgUm9vdBcNMjYxMTI3MDMwNDE2WhcN
MjYxMjA0MDMwNDE2WjCBgDAgAgEBFw0yNjExMjcwMzA0MTZaMAwwCgYDVR0VBAMK
AQEwIAIBAhcNMjYxMTI3MDMwNDE2WjAMMAoGA1UdFQQDCgEIMDoCAQMXDTI2MTEy
NzAzMDQxNlowJjAKBgNVHRUEAwoBATAYBgNVHRgEERgPMjAyMDAxMDEwMDAwMDBa
oDAwLjAfBgNVHSMEGDAWgBQ9+K6ejv7MGvvsa6Mh0EhARUFmLTALBgNVHRQEBAIC
EAAwDQYJKoZIhvcNAQELBQADggEBADmZ/dB4hJmz18t4/W8hTB+epvW3XGv1dnk+
cXhCKIn9Wz5kkEHhLvWN+yZYP5kqskjsSLgIZiHirLxwxRQKIWLphSoG+T4KFLm/
Ziio+nTxR0q/G6bb7y67bxsDpGoTfn3WKyVpErxgyA/rYOE0aoFxOskxipUkjcb5
/KRPeeo9+D6FD6FOeKlXkB9AcPaSM2CPCmF/GRUoxuwpD2CtAKNEuDRRDzt5yJoN
bH4PFnYFLN2hn65dUTz+Jo0TWdyRX2uR5LQtcqGsWv5hxxIiy33qxvgE5NJgNiO7
Su1Lvhh0s17mf2LrxU9BSWSspBJPrrHmb5IRCMqz4TNpH9twk7M=
-----END X509 CRL-----
"""

OPENSSL_REQ = b"""\
-----BEGIN CERTIFICATE REQUEST-----
MIICBDCCAW0CAQAwGjEYMBYGA1UEAwwPd2l0aCBhdHRyaWJ1dGVzMIGfMA0GCSqG
SIb3DQEBAQUAA4GNADCBiQKBgQDFXrIS0grl1SHQKQahgIpIvGVYeAUNgcfErTPd
yjJetu5QMv73dwVaP8VI/OIZyJ9yXlY/9jzWeSxJ/WgTyhhkpSjvwqydlWpRLBHU
+x7PQxIZI81XM94GDKFvViSayvWEgGM1sIpJHHmIWTbuwVhTGyQ3+vEfsQ0d7vx7
7kLp2wIDAQABoIGpMBgGCSqGSIb3DQEJBzELDAlzZWNyZXQxMjMwIwYJKoZIhvcN
AQkCMRYMFEFuIFVuc3RydWN0dXJlZCBOYW1lMGgGCSqGSIb3DQEJDjFbMFkwOAYD
VR0RBDEwL4ENeEBleGFtcGxlLmNvbYYTaHR0cDovL2V4YW1wbGUuY29tL4IJYS5l
eGFtcGxlMB0GA1UdJQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjANBgkqhkiG9w0B
AQsFAAOBgQBEusai0cRzjjAEPvzrV3XTslDvdM/UndZ76CeoYSrzpgdej3bareEq
rwMG2sNajO5ojywdqDGFQWWzoDiLOc5bi+9/fpFdzAqxsWgMwrJakaBgJlqjEwp/
adzNmQPUamHYKQRHOXhwn9isFH33BAnrwICrsZ1M8bQO5FdggBszNA==
-----END CERTIFICATE REQUEST-----
"""

X25519_KEY = b"""\
-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VuBCIEIAhs7pETXrGIbQy6Xxb3zonIvyRNV4lXCtgUdrg1nRZE
-----END PRIVATE KEY-----
"""

ED25519_KEY = b"""\
-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIAI6e7EZLtTS9rclvwWmqFeV4iySkah/OK+nC4NYRbgy
-----END PRIVATE KEY-----
"""

EC_KEY = b"""\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+WlecbEUSH0tjQKb
pGDqwKpnxa0EhlE2sUfgwTFRHo+hRANCAAQVzWMBQUbGcV3+N/7kB8ffF5DWe2mF
xM6JZAc+c2HGVFUszwSI3DiwqT0Ny+hGgxnLlMqlrC04O/XA/OnM5l2u
-----END PRIVATE KEY-----
"""
